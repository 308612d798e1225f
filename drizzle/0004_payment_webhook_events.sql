CREATE TABLE `payment_webhook_events` (
	`payment_key` varchar(200) NOT NULL,
	`status` varchar(32) NOT NULL,
	`transaction_key` varchar(100) NOT NULL,
	`event_type` varchar(40) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `payment_webhook_events_pk` PRIMARY KEY(`payment_key`,`status`,`transaction_key`)
);
