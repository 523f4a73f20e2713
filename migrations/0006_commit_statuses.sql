CREATE TABLE `commit_statuses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`sha` text NOT NULL,
	`ref` text NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`target_url` text,
	`description` text,
	`coverage` real,
	`pipeline_id` integer,
	`user_id` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`pipeline_id`) REFERENCES `pipelines`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `commit_statuses_identity` ON `commit_statuses` (`project_id`,`sha`,`ref`,`name`);--> statement-breakpoint
ALTER TABLE `pipelines` ADD `name` text;--> statement-breakpoint
ALTER TABLE `pipelines` ADD `before_sha` text DEFAULT '0000000000000000000000000000000000000000' NOT NULL;--> statement-breakpoint
ALTER TABLE `pipelines` ADD `commit` text;