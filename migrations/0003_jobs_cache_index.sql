-- "Clear runner caches": a counter that every cache key of the project carries, so old caches are never read again.
ALTER TABLE `projects` ADD `jobs_cache_index` integer DEFAULT 0 NOT NULL;