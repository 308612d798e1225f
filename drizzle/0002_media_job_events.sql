CREATE TABLE `media_job_events` (
	`job_id` varchar(128) NOT NULL,
	`event` varchar(32) NOT NULL,
	`media_id` char(36) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `media_job_events_pk` PRIMARY KEY(`job_id`,`event`)
);
