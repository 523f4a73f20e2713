-- workflow:auto_cancel kept with each pipeline; "Clear runner caches" as a counter every cache key of the project carries.
ALTER TABLE `pipelines` ADD `auto_cancel` text DEFAULT '{"onNewCommit":"conservative","onJobFailure":"none"}' NOT NULL;--> statement-breakpoint
ALTER TABLE `projects` ADD `jobs_cache_index` integer DEFAULT 0 NOT NULL;