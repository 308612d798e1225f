ALTER TABLE `medias` ADD `purpose` enum('post','avatar','cover') NOT NULL DEFAULT 'post';
--> statement-breakpoint
ALTER TABLE `users` ADD `avatar_media_id` char(36);
--> statement-breakpoint
ALTER TABLE `users` ADD `cover_media_id` char(36);
--> statement-breakpoint
ALTER TABLE `users` ADD `cover_url` varchar(1024);
