CREATE TABLE `pipeline_schedule_variables` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`schedule_id` integer NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`variable_type` text DEFAULT 'env_var' NOT NULL,
	FOREIGN KEY (`schedule_id`) REFERENCES `pipeline_schedules`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pipeline_schedule_variables_key` ON `pipeline_schedule_variables` (`schedule_id`,`key`);--> statement-breakpoint
CREATE TABLE `pipeline_schedules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`description` text NOT NULL,
	`ref` text NOT NULL,
	`cron` text NOT NULL,
	`cron_timezone` text DEFAULT 'UTC' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`owner_id` integer,
	`next_run_at` integer,
	`last_pipeline_id` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`last_pipeline_id`) REFERENCES `pipelines`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `pipeline_schedules_project` ON `pipeline_schedules` (`project_id`,`id`);--> statement-breakpoint
CREATE INDEX `pipeline_schedules_due` ON `pipeline_schedules` (`next_run_at`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`project_id` integer NOT NULL,
	`delivery_id` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`project_id`, `delivery_id`),
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `webhook_secrets` (
	`project_id` integer PRIMARY KEY NOT NULL,
	`secret` text NOT NULL,
	`owner_id` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
ALTER TABLE `pipelines` ADD `schedule_id` integer;--> statement-breakpoint
ALTER TABLE `projects` ADD `mirror_poll_interval` integer;