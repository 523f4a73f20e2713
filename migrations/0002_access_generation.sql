-- A counter that every change to who may do what bumps (revoked or expired credentials, user state, admin flag,
-- memberships, visibility, deletions), from any process: the terminal layer polls it and re-checks open sockets.
CREATE TABLE `access_generation` (
	`id` integer PRIMARY KEY NOT NULL CHECK (`id` = 1),
	`n` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `access_generation` (`id`, `n`) VALUES (1, 0);
--> statement-breakpoint
CREATE TRIGGER `access_token_changed` AFTER UPDATE OF `revoked`, `expires_at`, `scopes`, `user_id` ON `personal_access_tokens`
BEGIN UPDATE `access_generation` SET `n` = `n` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `access_token_deleted` AFTER DELETE ON `personal_access_tokens`
BEGIN UPDATE `access_generation` SET `n` = `n` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `access_session_changed` AFTER UPDATE OF `revoked_at`, `expires_at`, `user_id` ON `web_sessions`
BEGIN UPDATE `access_generation` SET `n` = `n` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `access_session_deleted` AFTER DELETE ON `web_sessions`
BEGIN UPDATE `access_generation` SET `n` = `n` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `access_user_changed` AFTER UPDATE OF `state`, `admin` ON `users`
BEGIN UPDATE `access_generation` SET `n` = `n` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `access_user_deleted` AFTER DELETE ON `users`
BEGIN UPDATE `access_generation` SET `n` = `n` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `access_member_changed` AFTER UPDATE OF `access_level`, `expires_at`, `user_id`, `project_id` ON `members`
BEGIN UPDATE `access_generation` SET `n` = `n` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `access_member_deleted` AFTER DELETE ON `members`
BEGIN UPDATE `access_generation` SET `n` = `n` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `access_project_changed` AFTER UPDATE OF `visibility` ON `projects`
BEGIN UPDATE `access_generation` SET `n` = `n` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `access_project_deleted` AFTER DELETE ON `projects`
BEGIN UPDATE `access_generation` SET `n` = `n` + 1; END;
