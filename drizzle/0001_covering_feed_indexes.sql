DROP INDEX `postings_feed_idx` ON `postings`;--> statement-breakpoint
DROP INDEX `postings_author_published_idx` ON `postings`;--> statement-breakpoint
CREATE INDEX `postings_feed_idx` ON `postings` (`status`,`published_at`,`id`,`is_public`,`is_membership`,`deleted_at`,`publish_start_at`,`publish_end_at`);--> statement-breakpoint
CREATE INDEX `postings_author_published_idx` ON `postings` (`author_id`,`published_at`,`id`,`status`,`is_public`,`is_membership`,`deleted_at`,`publish_start_at`,`publish_end_at`);