CREATE TABLE `board_posts` (
	`id` char(36) NOT NULL,
	`category` enum('notice','event') NOT NULL,
	`title` varchar(200) NOT NULL,
	`content` mediumtext NOT NULL,
	`excerpt` varchar(500),
	`author` varchar(100) NOT NULL DEFAULT '크리팬스 관리자',
	`is_important` boolean NOT NULL DEFAULT false,
	`is_published` boolean NOT NULL DEFAULT true,
	`published_at` datetime(3),
	`views` int unsigned NOT NULL DEFAULT 0,
	`created_by` char(36) NOT NULL,
	`updated_by` char(36),
	`deleted_by` char(36),
	`deleted_at` datetime(3),
	`restored_by` char(36),
	`restored_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `board_posts_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE INDEX `board_posts_public_idx` ON `board_posts` (`is_published`,`deleted_at`,`category`,`is_important`,`published_at`,`id`);
--> statement-breakpoint
CREATE INDEX `board_posts_admin_idx` ON `board_posts` (`category`,`created_at`,`id`);
--> statement-breakpoint
CREATE TABLE `board_views` (
	`board_post_id` char(36) NOT NULL,
	`viewer_key` varchar(80) NOT NULL,
	`view_day` date NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `board_views_pk` PRIMARY KEY(`board_post_id`,`viewer_key`,`view_day`)
);
--> statement-breakpoint
CREATE INDEX `board_views_viewer_idx` ON `board_views` (`viewer_key`);
--> statement-breakpoint
CREATE TABLE `account_deletions` (
	`id` char(36) NOT NULL,
	`user_id` char(36) NOT NULL,
	`status` enum('pending','processing','canceled','completed') NOT NULL DEFAULT 'pending',
	`requested_at` datetime(3) NOT NULL,
	`scheduled_at` datetime(3) NOT NULL,
	`canceled_at` datetime(3),
	`completed_at` datetime(3),
	`stopped_subscriptions` json,
	`forfeited_amount` bigint unsigned NOT NULL DEFAULT 0,
	`live_flag` tinyint unsigned GENERATED ALWAYS AS ((case when status in ('pending','processing') then 1 end)) STORED,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `account_deletions_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `account_deletions_one_pending_uq` ON `account_deletions` (`user_id`,`live_flag`);
--> statement-breakpoint
CREATE INDEX `account_deletions_due_idx` ON `account_deletions` (`status`,`scheduled_at`);
