ALTER TABLE `jobs` ADD `kind` text DEFAULT 'build' NOT NULL;--> statement-breakpoint
ALTER TABLE `jobs` ADD `error_message` text;--> statement-breakpoint
ALTER TABLE `pipelines` ADD `upstream_job_id` integer;--> statement-breakpoint
ALTER TABLE `pipelines` ADD `upstream_pipeline_id` integer;--> statement-breakpoint
CREATE INDEX `pipelines_upstream_job` ON `pipelines` (`upstream_job_id`);--> statement-breakpoint
CREATE INDEX `pipelines_upstream_pipeline` ON `pipelines` (`upstream_pipeline_id`);