CREATE TABLE `creator_categories` (
	`id` char(36) NOT NULL,
	`name` varchar(50) NOT NULL,
	`description` text,
	`color_code` varchar(7),
	`icon` varchar(64),
	`sort_order` int NOT NULL DEFAULT 0,
	`is_active` boolean NOT NULL DEFAULT true,
	`deleted_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `creator_categories_id` PRIMARY KEY(`id`),
	CONSTRAINT `creator_categories_name_uq` UNIQUE(`name`)
);
--> statement-breakpoint
CREATE TABLE `creators` (
	`id` char(36) NOT NULL,
	`user_id` char(36) NOT NULL,
	`category_id` char(36),
	`is_active` boolean NOT NULL DEFAULT true,
	`banner_url` varchar(1024),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `creators_id` PRIMARY KEY(`id`),
	CONSTRAINT `creators_user_uq` UNIQUE(`user_id`)
);
--> statement-breakpoint
CREATE TABLE `earlybirds` (
	`id` char(36) NOT NULL,
	`user_id` char(36) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`rewarded_at` datetime(3),
	CONSTRAINT `earlybirds_id` PRIMARY KEY(`id`),
	CONSTRAINT `earlybirds_user_uq` UNIQUE(`user_id`)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` char(36) NOT NULL,
	`email` varchar(320) NOT NULL,
	`handle` varchar(32) NOT NULL,
	`nickname` varchar(30) NOT NULL,
	`name` varchar(100) NOT NULL,
	`phone_number` varchar(20),
	`avatar_url` varchar(1024),
	`bio` text,
	`status` enum('pending','active','suspended','deleted') NOT NULL DEFAULT 'pending',
	`role` enum('user','admin') NOT NULL DEFAULT 'user',
	`confirmed_at` datetime(3),
	`deleted_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `users_id` PRIMARY KEY(`id`),
	CONSTRAINT `users_email_uq` UNIQUE(`email`),
	CONSTRAINT `users_handle_uq` UNIQUE(`handle`)
);
--> statement-breakpoint
CREATE TABLE `membership_items` (
	`id` char(36) NOT NULL,
	`creator_id` char(36) NOT NULL,
	`name` varchar(100) NOT NULL,
	`description` text,
	`benefits` json NOT NULL,
	`level` tinyint unsigned NOT NULL,
	`price` bigint unsigned NOT NULL,
	`billing_unit` enum('DAY','WEEK','MONTH','YEAR') NOT NULL DEFAULT 'MONTH',
	`billing_period` int unsigned NOT NULL DEFAULT 1,
	`trial_unit` enum('DAY','WEEK','MONTH','YEAR') NOT NULL DEFAULT 'DAY',
	`trial_period` int unsigned NOT NULL DEFAULT 0,
	`is_active` boolean NOT NULL DEFAULT true,
	`deleted_at` datetime(3),
	`live_level` tinyint unsigned GENERATED ALWAYS AS ((case when deleted_at is null then level end)) STORED,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `membership_items_id` PRIMARY KEY(`id`),
	CONSTRAINT `membership_items_creator_live_level_uq` UNIQUE(`creator_id`,`live_level`)
);
--> statement-breakpoint
CREATE TABLE `subscription_events` (
	`id` char(36) NOT NULL,
	`subscription_id` char(36) NOT NULL,
	`type` enum('started','trial_started','renewed','upgraded','downgrade_scheduled','canceled','resumed','grace_started','expired','refunded','payment_failed') NOT NULL,
	`from_status` enum('trialing','active','grace','canceled','expired'),
	`to_status` enum('trialing','active','grace','canceled','expired'),
	`period_start` datetime(3),
	`period_end` datetime(3),
	`amount` bigint unsigned NOT NULL DEFAULT 0,
	`transfer_id` char(36),
	`idempotency_key` varchar(191) NOT NULL,
	`data` json,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `subscription_events_id` PRIMARY KEY(`id`),
	CONSTRAINT `subscription_events_idem_uq` UNIQUE(`idempotency_key`)
);
--> statement-breakpoint
CREATE TABLE `subscriptions` (
	`id` char(36) NOT NULL,
	`subscriber_id` char(36) NOT NULL,
	`creator_id` char(36) NOT NULL,
	`membership_item_id` char(36) NOT NULL,
	`status` enum('trialing','active','grace','canceled','expired') NOT NULL,
	`level` tinyint unsigned NOT NULL,
	`price` bigint unsigned NOT NULL,
	`payment_method` enum('token','card') NOT NULL DEFAULT 'token',
	`auto_renew` boolean NOT NULL DEFAULT true,
	`billing_anchor_at` datetime(3) NOT NULL,
	`current_period_start` datetime(3) NOT NULL,
	`current_period_end` datetime(3) NOT NULL,
	`trial_ends_at` datetime(3),
	`grace_ends_at` datetime(3),
	`pending_membership_item_id` char(36),
	`billing_key_ref` varchar(200),
	`failure_count` int unsigned NOT NULL DEFAULT 0,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`ended_at` datetime(3),
	`live_flag` tinyint unsigned GENERATED ALWAYS AS ((case when status <> 'expired' then 1 end)) STORED,
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `subscriptions_id` PRIMARY KEY(`id`),
	CONSTRAINT `subscriptions_one_live_uq` UNIQUE(`subscriber_id`,`creator_id`,`live_flag`)
);
--> statement-breakpoint
CREATE TABLE `token_supply_changes` (
	`id` char(36) NOT NULL,
	`idempotency_key` varchar(191) NOT NULL,
	`token_type_id` char(36) NOT NULL,
	`wallet_id` char(36) NOT NULL,
	`kind` enum('mint','burn') NOT NULL,
	`amount` bigint unsigned NOT NULL,
	`balance_before` bigint unsigned NOT NULL,
	`balance_after` bigint unsigned NOT NULL,
	`reference_type` varchar(32),
	`reference_id` varchar(64),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `token_supply_changes_id` PRIMARY KEY(`id`),
	CONSTRAINT `token_supply_changes_idem_uq` UNIQUE(`idempotency_key`)
);
--> statement-breakpoint
CREATE TABLE `token_types` (
	`id` char(36) NOT NULL,
	`symbol` varchar(16) NOT NULL,
	`name` varchar(50) NOT NULL,
	`description` varchar(500),
	`price_krw` bigint unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `token_types_id` PRIMARY KEY(`id`),
	CONSTRAINT `token_types_symbol_uq` UNIQUE(`symbol`)
);
--> statement-breakpoint
CREATE TABLE `transfer_reasons` (
	`id` smallint unsigned NOT NULL,
	`code` varchar(32) NOT NULL,
	`name` varchar(100) NOT NULL,
	CONSTRAINT `transfer_reasons_id` PRIMARY KEY(`id`),
	CONSTRAINT `transfer_reasons_code_uq` UNIQUE(`code`)
);
--> statement-breakpoint
CREATE TABLE `transfers` (
	`id` char(36) NOT NULL,
	`idempotency_key` varchar(191) NOT NULL,
	`token_type_id` char(36) NOT NULL,
	`from_wallet_id` char(36) NOT NULL,
	`to_wallet_id` char(36) NOT NULL,
	`amount` bigint unsigned NOT NULL,
	`reason_id` smallint unsigned NOT NULL,
	`reference_type` varchar(32),
	`reference_id` varchar(64),
	`from_balance_before` bigint unsigned NOT NULL,
	`from_balance_after` bigint unsigned NOT NULL,
	`to_balance_before` bigint unsigned NOT NULL,
	`to_balance_after` bigint unsigned NOT NULL,
	`reverses_transfer_id` char(36),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `transfers_id` PRIMARY KEY(`id`),
	CONSTRAINT `transfers_idem_uq` UNIQUE(`idempotency_key`)
);
--> statement-breakpoint
CREATE TABLE `wallet_ownerships` (
	`id` char(36) NOT NULL,
	`wallet_id` char(36) NOT NULL,
	`owner_id` varchar(36) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`ended_at` datetime(3),
	CONSTRAINT `wallet_ownerships_id` PRIMARY KEY(`id`),
	CONSTRAINT `wallet_ownerships_wallet_owner_start_uq` UNIQUE(`wallet_id`,`owner_id`,`created_at`)
);
--> statement-breakpoint
CREATE TABLE `wallets` (
	`id` char(36) NOT NULL,
	`token_type_id` char(36) NOT NULL,
	`owner_id` varchar(36) NOT NULL,
	`kind` enum('user','treasury') NOT NULL DEFAULT 'user',
	`balance` bigint unsigned NOT NULL DEFAULT 0,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `wallets_id` PRIMARY KEY(`id`),
	CONSTRAINT `wallets_owner_token_uq` UNIQUE(`owner_id`,`token_type_id`)
);
--> statement-breakpoint
CREATE TABLE `comment_likes` (
	`comment_id` char(36) NOT NULL,
	`user_id` char(36) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `comment_likes_pk` PRIMARY KEY(`comment_id`,`user_id`)
);
--> statement-breakpoint
CREATE TABLE `comments` (
	`id` char(36) NOT NULL,
	`posting_id` char(36) NOT NULL,
	`author_id` char(36) NOT NULL,
	`parent_id` char(36),
	`tagged_user_id` char(36),
	`content` varchar(1000) NOT NULL,
	`like_count` int unsigned NOT NULL DEFAULT 0,
	`reply_count` int unsigned NOT NULL DEFAULT 0,
	`deleted_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `comments_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `posting_likes` (
	`posting_id` char(36) NOT NULL,
	`user_id` char(36) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `posting_likes_pk` PRIMARY KEY(`posting_id`,`user_id`)
);
--> statement-breakpoint
CREATE TABLE `posting_medias` (
	`id` char(36) NOT NULL,
	`posting_id` char(36) NOT NULL,
	`media_id` char(36) NOT NULL,
	`sort_order` int unsigned NOT NULL DEFAULT 0,
	`is_free_preview` boolean NOT NULL DEFAULT false,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `posting_medias_id` PRIMARY KEY(`id`),
	CONSTRAINT `posting_medias_posting_media_uq` UNIQUE(`posting_id`,`media_id`)
);
--> statement-breakpoint
CREATE TABLE `posting_purchases` (
	`id` char(36) NOT NULL,
	`posting_id` char(36) NOT NULL,
	`buyer_id` char(36) NOT NULL,
	`price` bigint unsigned NOT NULL,
	`transfer_id` char(36) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `posting_purchases_id` PRIMARY KEY(`id`),
	CONSTRAINT `posting_purchases_posting_buyer_uq` UNIQUE(`posting_id`,`buyer_id`)
);
--> statement-breakpoint
CREATE TABLE `posting_views` (
	`posting_id` char(36) NOT NULL,
	`viewer_key` varchar(80) NOT NULL,
	`view_day` date NOT NULL,
	`count` int unsigned NOT NULL DEFAULT 1,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `posting_views_pk` PRIMARY KEY(`posting_id`,`viewer_key`,`view_day`)
);
--> statement-breakpoint
CREATE TABLE `postings` (
	`id` char(36) NOT NULL,
	`author_id` char(36) NOT NULL,
	`title` varchar(200) NOT NULL,
	`content` mediumtext NOT NULL,
	`status` enum('draft','published','archived') NOT NULL DEFAULT 'draft',
	`is_public` boolean NOT NULL DEFAULT true,
	`is_membership` boolean NOT NULL DEFAULT false,
	`membership_level` tinyint unsigned,
	`allow_individual_purchase` boolean NOT NULL DEFAULT false,
	`individual_purchase_price` bigint unsigned,
	`is_sensitive` boolean NOT NULL DEFAULT false,
	`allow_comments` boolean NOT NULL DEFAULT true,
	`publish_start_at` datetime(3),
	`publish_end_at` datetime(3),
	`published_at` datetime(3),
	`archived_at` datetime(3),
	`total_view_count` int unsigned NOT NULL DEFAULT 0,
	`unique_view_count` int unsigned NOT NULL DEFAULT 0,
	`like_count` int unsigned NOT NULL DEFAULT 0,
	`comment_count` int unsigned NOT NULL DEFAULT 0,
	`deleted_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `postings_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `medias` (
	`id` char(36) NOT NULL,
	`owner_id` char(36) NOT NULL,
	`type` enum('image','video','audio','document') NOT NULL,
	`original_name` varchar(255) NOT NULL,
	`mime_type` varchar(100) NOT NULL,
	`file_size` bigint unsigned NOT NULL,
	`storage_key` varchar(512) NOT NULL,
	`status` enum('uploading','uploaded','processing','ready','failed') NOT NULL DEFAULT 'uploading',
	`progress` tinyint unsigned NOT NULL DEFAULT 0,
	`width` int unsigned,
	`height` int unsigned,
	`duration_ms` int unsigned,
	`variants` json,
	`thumbnails` json,
	`multipart_upload_id` varchar(512),
	`processing_job_id` varchar(128),
	`processing_attempts` tinyint unsigned NOT NULL DEFAULT 0,
	`error_message` varchar(500),
	`processed_at` datetime(3),
	`deleted_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `medias_id` PRIMARY KEY(`id`),
	CONSTRAINT `medias_storage_key_uq` UNIQUE(`storage_key`)
);
--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` char(36) NOT NULL,
	`user_id` char(36) NOT NULL,
	`type` varchar(50) NOT NULL,
	`title` varchar(200) NOT NULL,
	`body` varchar(1000),
	`data` json,
	`read_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `notifications_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `reports` (
	`id` char(36) NOT NULL,
	`reporter_id` char(36) NOT NULL,
	`target_type` enum('user','posting','comment') NOT NULL,
	`target_id` char(36) NOT NULL,
	`reason` enum('spam','harassment','inappropriate','copyright','fraud','other') NOT NULL,
	`description` varchar(1000),
	`status` enum('pending','reviewing','resolved','rejected') NOT NULL DEFAULT 'pending',
	`resolved_by` char(36),
	`resolved_at` datetime(3),
	`admin_note` varchar(1000),
	`open_flag` tinyint GENERATED ALWAYS AS ((case when status in ('pending','reviewing') then 1 end)) STORED,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `reports_id` PRIMARY KEY(`id`),
	CONSTRAINT `reports_one_open_uq` UNIQUE(`reporter_id`,`target_type`,`target_id`,`open_flag`)
);
--> statement-breakpoint
CREATE TABLE `user_follows` (
	`follower_id` char(36) NOT NULL,
	`following_id` char(36) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `user_follows_pk` PRIMARY KEY(`follower_id`,`following_id`)
);
--> statement-breakpoint
CREATE TABLE `payment_orders` (
	`id` char(36) NOT NULL,
	`order_id` varchar(64) NOT NULL,
	`user_id` char(36) NOT NULL,
	`kind` enum('topup','subscription') NOT NULL,
	`product_code` varchar(32),
	`order_name` varchar(100) NOT NULL,
	`amount` bigint unsigned NOT NULL,
	`token_amount` bigint unsigned NOT NULL DEFAULT 0,
	`status` enum('pending','approved','credited','canceled','partial_canceled','failed') NOT NULL DEFAULT 'pending',
	`payment_key` varchar(200),
	`method` varchar(32),
	`is_recurring` boolean NOT NULL DEFAULT false,
	`subscription_id` char(36),
	`approved_at` datetime(3),
	`canceled_at` datetime(3),
	`canceled_amount` bigint unsigned NOT NULL DEFAULT 0,
	`failure_code` varchar(64),
	`failure_message` varchar(500),
	`provider_snapshot` json,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `payment_orders_id` PRIMARY KEY(`id`),
	CONSTRAINT `payment_orders_order_uq` UNIQUE(`order_id`),
	CONSTRAINT `payment_orders_payment_key_uq` UNIQUE(`payment_key`)
);
--> statement-breakpoint
CREATE INDEX `creator_categories_active_sort_idx` ON `creator_categories` (`is_active`,`sort_order`);--> statement-breakpoint
CREATE INDEX `creators_created_idx` ON `creators` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `creators_category_created_idx` ON `creators` (`category_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `users_nickname_idx` ON `users` (`nickname`);--> statement-breakpoint
CREATE INDEX `users_status_confirmed_idx` ON `users` (`status`,`confirmed_at`);--> statement-breakpoint
CREATE INDEX `membership_items_creator_level_idx` ON `membership_items` (`creator_id`,`level`);--> statement-breakpoint
CREATE INDEX `subscription_events_subscription_idx` ON `subscription_events` (`subscription_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `subscriptions_subscriber_status_idx` ON `subscriptions` (`subscriber_id`,`status`);--> statement-breakpoint
CREATE INDEX `subscriptions_creator_status_idx` ON `subscriptions` (`creator_id`,`status`);--> statement-breakpoint
CREATE INDEX `subscriptions_item_status_idx` ON `subscriptions` (`membership_item_id`,`status`);--> statement-breakpoint
CREATE INDEX `subscriptions_due_idx` ON `subscriptions` (`status`,`current_period_end`);--> statement-breakpoint
CREATE INDEX `token_supply_changes_token_idx` ON `token_supply_changes` (`token_type_id`,`kind`);--> statement-breakpoint
CREATE INDEX `transfers_from_wallet_idx` ON `transfers` (`from_wallet_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `transfers_to_wallet_idx` ON `transfers` (`to_wallet_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `transfers_reference_idx` ON `transfers` (`reference_type`,`reference_id`);--> statement-breakpoint
CREATE INDEX `transfers_reverses_idx` ON `transfers` (`reverses_transfer_id`);--> statement-breakpoint
CREATE INDEX `wallet_ownerships_owner_idx` ON `wallet_ownerships` (`owner_id`);--> statement-breakpoint
CREATE INDEX `wallets_token_idx` ON `wallets` (`token_type_id`);--> statement-breakpoint
CREATE INDEX `comment_likes_user_idx` ON `comment_likes` (`user_id`);--> statement-breakpoint
CREATE INDEX `comments_posting_parent_idx` ON `comments` (`posting_id`,`parent_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `comments_parent_idx` ON `comments` (`parent_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `comments_author_idx` ON `comments` (`author_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `posting_likes_user_idx` ON `posting_likes` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `posting_medias_media_idx` ON `posting_medias` (`media_id`);--> statement-breakpoint
CREATE INDEX `posting_purchases_buyer_idx` ON `posting_purchases` (`buyer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `posting_views_day_idx` ON `posting_views` (`view_day`);--> statement-breakpoint
CREATE INDEX `postings_feed_idx` ON `postings` (`status`,`published_at`,`id`);--> statement-breakpoint
CREATE INDEX `postings_author_published_idx` ON `postings` (`author_id`,`published_at`,`id`);--> statement-breakpoint
CREATE INDEX `postings_author_created_idx` ON `postings` (`author_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `postings_scheduled_idx` ON `postings` (`status`,`publish_start_at`);--> statement-breakpoint
CREATE INDEX `medias_owner_created_idx` ON `medias` (`owner_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `medias_status_updated_idx` ON `medias` (`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `notifications_user_created_idx` ON `notifications` (`user_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `notifications_user_read_idx` ON `notifications` (`user_id`,`read_at`);--> statement-breakpoint
CREATE INDEX `reports_status_created_idx` ON `reports` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `reports_target_idx` ON `reports` (`target_type`,`target_id`);--> statement-breakpoint
CREATE INDEX `user_follows_follower_created_idx` ON `user_follows` (`follower_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `user_follows_following_created_idx` ON `user_follows` (`following_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `payment_orders_user_created_idx` ON `payment_orders` (`user_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `payment_orders_status_updated_idx` ON `payment_orders` (`status`,`updated_at`);