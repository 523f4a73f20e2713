-- Remote runners: a job keeps its runner's session server (url, pinned certificate, authorization) and a lease the
-- runner renews; runners keep what they last said about themselves (version, platform, executor, address).
ALTER TABLE `jobs` ADD `session_url` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `session_certificate` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `session_authorization` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `lease_expires_at` integer;--> statement-breakpoint
ALTER TABLE `jobs` ADD `awaiting_runner_ack` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `runners` ADD `version` text;--> statement-breakpoint
ALTER TABLE `runners` ADD `revision` text;--> statement-breakpoint
ALTER TABLE `runners` ADD `platform` text;--> statement-breakpoint
ALTER TABLE `runners` ADD `architecture` text;--> statement-breakpoint
ALTER TABLE `runners` ADD `executor_type` text;--> statement-breakpoint
ALTER TABLE `runners` ADD `ip_address` text;