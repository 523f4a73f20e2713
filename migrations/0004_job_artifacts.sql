CREATE TABLE `job_artifacts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_id` integer NOT NULL,
	`project_id` integer NOT NULL,
	`file_type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`expire_at` integer,
	`removed_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `job_artifacts_job_type` ON `job_artifacts` (`job_id`,`file_type`);--> statement-breakpoint
CREATE INDEX `job_artifacts_expiry` ON `job_artifacts` (`expire_at`);--> statement-breakpoint
ALTER TABLE `jobs` ADD `coverage` real;