CREATE TABLE `audit_log` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`organisation_id` int,
	`actor_user_id` int,
	`action` varchar(64) NOT NULL,
	`object_type` varchar(40) NOT NULL,
	`object_id` varchar(64),
	`before` json,
	`after` json,
	`ip` varchar(64),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `audit_log_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `email_outbox` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`message_key` varchar(190) NOT NULL,
	`to_address` varchar(254) NOT NULL,
	`template` varchar(64) NOT NULL,
	`params` json NOT NULL,
	`status` enum('pending','sent') NOT NULL DEFAULT 'pending',
	`attempts` int NOT NULL DEFAULT 0,
	`last_error` text,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`sent_at` datetime(3),
	CONSTRAINT `email_outbox_id` PRIMARY KEY(`id`),
	CONSTRAINT `email_outbox_key_uq` UNIQUE(`message_key`)
);
--> statement-breakpoint
CREATE TABLE `locations` (
	`id` int AUTO_INCREMENT NOT NULL,
	`organisation_id` int NOT NULL,
	`name` varchar(200) NOT NULL,
	`address` varchar(300) NOT NULL,
	`time_zone` varchar(64) NOT NULL,
	CONSTRAINT `locations_id` PRIMARY KEY(`id`),
	CONSTRAINT `locations_org_name_uq` UNIQUE(`organisation_id`,`name`)
);
--> statement-breakpoint
CREATE TABLE `login_blocks` (
	`email` varchar(254) NOT NULL,
	`blocked_until` datetime(3) NOT NULL,
	CONSTRAINT `login_blocks_email` PRIMARY KEY(`email`)
);
--> statement-breakpoint
CREATE TABLE `login_failures` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`email` varchar(254) NOT NULL,
	`failed_at` datetime(3) NOT NULL,
	CONSTRAINT `login_failures_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `organisations` (
	`id` int AUTO_INCREMENT NOT NULL,
	`name` varchar(200) NOT NULL,
	`country` char(2) NOT NULL,
	`tax_number` varchar(32) NOT NULL,
	`registration_number` varchar(64) NOT NULL,
	`address` varchar(300) NOT NULL,
	`is_institution` boolean NOT NULL DEFAULT false,
	`currency` char(3),
	`time_zone` varchar(64) NOT NULL DEFAULT 'Europe/Bucharest',
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `organisations_id` PRIMARY KEY(`id`),
	CONSTRAINT `organisations_country_tax_uq` UNIQUE(`country`,`tax_number`)
);
--> statement-breakpoint
CREATE TABLE `physician_locations` (
	`physician_id` int NOT NULL,
	`location_id` int NOT NULL,
	CONSTRAINT `physician_locations_physician_id_location_id_pk` PRIMARY KEY(`physician_id`,`location_id`)
);
--> statement-breakpoint
CREATE TABLE `physician_qualifications` (
	`physician_id` int NOT NULL,
	`qualification_id` int NOT NULL,
	CONSTRAINT `physician_qualifications_physician_id_qualification_id_pk` PRIMARY KEY(`physician_id`,`qualification_id`)
);
--> statement-breakpoint
CREATE TABLE `physicians` (
	`id` int AUTO_INCREMENT NOT NULL,
	`organisation_id` int NOT NULL,
	`name` varchar(200) NOT NULL,
	CONSTRAINT `physicians_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `qualifications` (
	`id` int AUTO_INCREMENT NOT NULL,
	`organisation_id` int NOT NULL,
	`name` varchar(120) NOT NULL,
	CONSTRAINT `qualifications_id` PRIMARY KEY(`id`),
	CONSTRAINT `qualifications_org_name_uq` UNIQUE(`organisation_id`,`name`)
);
--> statement-breakpoint
CREATE TABLE `schedule_exceptions` (
	`id` int AUTO_INCREMENT NOT NULL,
	`physician_id` int NOT NULL,
	`location_id` int,
	`date` date NOT NULL,
	`kind` enum('absence','extra_hours') NOT NULL,
	`start_time` time,
	`end_time` time,
	CONSTRAINT `schedule_exceptions_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `schedules` (
	`id` int AUTO_INCREMENT NOT NULL,
	`physician_id` int NOT NULL,
	`location_id` int NOT NULL,
	`weekday` smallint NOT NULL,
	`start_time` time NOT NULL,
	`end_time` time NOT NULL,
	`week_parity` enum('every','odd','even') NOT NULL DEFAULT 'every',
	`valid_from` date NOT NULL,
	`valid_to` date,
	CONSTRAINT `schedules_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `services` (
	`id` int AUTO_INCREMENT NOT NULL,
	`organisation_id` int NOT NULL,
	`qualification_id` int NOT NULL,
	`name` varchar(200) NOT NULL,
	`duration_minutes` smallint NOT NULL,
	`price_minor` int NOT NULL,
	`currency` char(3) NOT NULL,
	`cancellation_window_hours` smallint NOT NULL DEFAULT 24,
	CONSTRAINT `services_id` PRIMARY KEY(`id`),
	CONSTRAINT `services_org_name_uq` UNIQUE(`organisation_id`,`name`)
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` varchar(32) NOT NULL,
	`secret_hash` char(64) NOT NULL,
	`user_id` int NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`expires_at` datetime(3) NOT NULL,
	`absolute_expires_at` datetime(3) NOT NULL,
	CONSTRAINT `sessions_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `user_invitations` (
	`id` int AUTO_INCREMENT NOT NULL,
	`user_id` int NOT NULL,
	`run_key` varchar(100) NOT NULL,
	`token_hash` char(64),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`expires_at` datetime(3) NOT NULL,
	`reminded_at` datetime(3),
	`used_at` datetime(3),
	`revoked_at` datetime(3),
	CONSTRAINT `user_invitations_id` PRIMARY KEY(`id`),
	CONSTRAINT `user_invitations_run_uq` UNIQUE(`run_key`),
	CONSTRAINT `user_invitations_token_uq` UNIQUE(`token_hash`)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` int AUTO_INCREMENT NOT NULL,
	`organisation_id` int NOT NULL,
	`email` varchar(254) NOT NULL,
	`name` varchar(200) NOT NULL,
	`role` enum('admin','staff') NOT NULL,
	`can_book_partner` boolean NOT NULL DEFAULT false,
	`status` enum('invited','active','deactivated') NOT NULL DEFAULT 'invited',
	`password_hash` varchar(255),
	`locale` enum('en','ro') NOT NULL DEFAULT 'ro',
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `users_id` PRIMARY KEY(`id`),
	CONSTRAINT `users_email_uq` UNIQUE(`email`)
);
--> statement-breakpoint
CREATE TABLE `workflow_outbox` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`workflow_type` varchar(64) NOT NULL,
	`workflow_id` varchar(190) NOT NULL,
	`args` json NOT NULL,
	`mode` enum('start','restart') NOT NULL DEFAULT 'start',
	`search_attributes` json,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`claimed_at` datetime(3),
	`dispatched_at` datetime(3),
	`attempts` int NOT NULL DEFAULT 0,
	`last_error` text,
	CONSTRAINT `workflow_outbox_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `locations` ADD CONSTRAINT `locations_organisation_id_organisations_id_fk` FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `physician_locations` ADD CONSTRAINT `physician_locations_physician_id_physicians_id_fk` FOREIGN KEY (`physician_id`) REFERENCES `physicians`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `physician_locations` ADD CONSTRAINT `physician_locations_location_id_locations_id_fk` FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `physician_qualifications` ADD CONSTRAINT `physician_qualifications_physician_id_physicians_id_fk` FOREIGN KEY (`physician_id`) REFERENCES `physicians`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `physician_qualifications` ADD CONSTRAINT `physician_qualifications_qualification_id_qualifications_id_fk` FOREIGN KEY (`qualification_id`) REFERENCES `qualifications`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `physicians` ADD CONSTRAINT `physicians_organisation_id_organisations_id_fk` FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `qualifications` ADD CONSTRAINT `qualifications_organisation_id_organisations_id_fk` FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `schedule_exceptions` ADD CONSTRAINT `schedule_exceptions_physician_id_physicians_id_fk` FOREIGN KEY (`physician_id`) REFERENCES `physicians`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `schedule_exceptions` ADD CONSTRAINT `schedule_exceptions_location_id_locations_id_fk` FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `schedules` ADD CONSTRAINT `schedules_physician_id_physicians_id_fk` FOREIGN KEY (`physician_id`) REFERENCES `physicians`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `schedules` ADD CONSTRAINT `schedules_location_id_locations_id_fk` FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `services` ADD CONSTRAINT `services_organisation_id_organisations_id_fk` FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `services` ADD CONSTRAINT `services_qualification_id_qualifications_id_fk` FOREIGN KEY (`qualification_id`) REFERENCES `qualifications`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `sessions` ADD CONSTRAINT `sessions_user_id_users_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `user_invitations` ADD CONSTRAINT `user_invitations_user_id_users_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `users` ADD CONSTRAINT `users_organisation_id_organisations_id_fk` FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `audit_log_org_at_idx` ON `audit_log` (`organisation_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `login_failures_email_idx` ON `login_failures` (`email`,`failed_at`);--> statement-breakpoint
CREATE INDEX `schedules_physician_idx` ON `schedules` (`physician_id`,`weekday`);--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE INDEX `user_invitations_user_idx` ON `user_invitations` (`user_id`);--> statement-breakpoint
CREATE INDEX `users_org_idx` ON `users` (`organisation_id`);--> statement-breakpoint
CREATE INDEX `workflow_outbox_pending_idx` ON `workflow_outbox` (`dispatched_at`,`id`);