CREATE TABLE `sign_in_lockouts` (
	`email_hash` char(64) NOT NULL,
	`failures` int unsigned NOT NULL DEFAULT 0,
	`locks` int unsigned NOT NULL DEFAULT 0,
	`last_failed_at` datetime(3) NOT NULL,
	`locked_until` datetime(3),
	CONSTRAINT `sign_in_lockouts_email_hash` PRIMARY KEY(`email_hash`)
);
