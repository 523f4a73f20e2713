-- A revoked or deleted share link ends the terminals watching through it: the terminal layer polls this counter.
CREATE TRIGGER `access_share_link_changed` AFTER UPDATE OF `revoked_at`, `expires_at` ON `terminal_share_links`
BEGIN UPDATE `access_generation` SET `n` = `n` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `access_share_link_deleted` AFTER DELETE ON `terminal_share_links`
BEGIN UPDATE `access_generation` SET `n` = `n` + 1; END;
