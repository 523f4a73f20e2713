CREATE TABLE `protected_branches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `protected_branches_project_name` ON `protected_branches` (`project_id`,`name`);
--> statement-breakpoint
-- Existing projects keep GitLab's default: their default branch is protected.
INSERT INTO `protected_branches` (`project_id`, `name`) SELECT `id`, `default_branch` FROM `projects`;
