CREATE TABLE `login_throttle` (
	`email` varchar(254) NOT NULL,
	`window_started_at` datetime(3) NOT NULL,
	`failures` int NOT NULL DEFAULT 0,
	`blocked_until` datetime(3),
	CONSTRAINT `login_throttle_email` PRIMARY KEY(`email`)
);
