CREATE TABLE `idempotency_keys` (
	`owner_id` char(36) NOT NULL,
	`client_key` varchar(100) NOT NULL,
	`scope` varchar(64) NOT NULL,
	`fingerprint` char(64) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `idempotency_keys_pk` PRIMARY KEY(`owner_id`,`client_key`)
);
--> statement-breakpoint
CREATE INDEX `idempotency_keys_created_idx` ON `idempotency_keys` (`created_at`);
