CREATE TABLE `settlement_lines` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`statement_id` int NOT NULL,
	`booking_id` int NOT NULL,
	`kind` enum('booking','adjustment') NOT NULL,
	`starts_at` datetime(3) NOT NULL,
	`service_id` int NOT NULL,
	`price_minor` int NOT NULL,
	`currency` char(3) NOT NULL,
	`payment_location` enum('partner','institution') NOT NULL,
	`commission_type` enum('none','percent','fixed') NOT NULL,
	`commission_value` int NOT NULL,
	`commission_minor` int NOT NULL,
	`commission_currency` char(3) NOT NULL,
	`institution_owes_minor` int NOT NULL,
	`partner_owes_minor` int NOT NULL,
	`note` varchar(200),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `settlement_lines_id` PRIMARY KEY(`id`),
	CONSTRAINT `settlement_lines_uq` UNIQUE(`statement_id`,`booking_id`,`kind`)
);
--> statement-breakpoint
CREATE TABLE `settlement_runs` (
	`id` int AUTO_INCREMENT NOT NULL,
	`institution_id` int NOT NULL,
	`month` char(7) NOT NULL,
	`trigger` enum('schedule','manual') NOT NULL,
	`started_by_user_id` int,
	`workflow_id` varchar(190) NOT NULL,
	`status` enum('queued','running','completed','failed') NOT NULL DEFAULT 'queued',
	`statements` int NOT NULL DEFAULT 0,
	`lines` int NOT NULL DEFAULT 0,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`finished_at` datetime(3),
	`last_error` text,
	CONSTRAINT `settlement_runs_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `settlement_statements` (
	`id` int AUTO_INCREMENT NOT NULL,
	`institution_id` int NOT NULL,
	`partnership_id` int NOT NULL,
	`month` char(7) NOT NULL,
	`status` enum('draft','issued','paid') NOT NULL DEFAULT 'draft',
	`issued_at` datetime(3),
	`issued_by_user_id` int,
	`paid_on` date,
	`paid_by_user_id` int,
	`last_run_id` int,
	`version` int NOT NULL DEFAULT 1,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `settlement_statements_id` PRIMARY KEY(`id`),
	CONSTRAINT `settlement_statements_uq` UNIQUE(`institution_id`,`partnership_id`,`month`)
);
--> statement-breakpoint
ALTER TABLE `settlement_lines` ADD CONSTRAINT `settlement_lines_statement_id_settlement_statements_id_fk` FOREIGN KEY (`statement_id`) REFERENCES `settlement_statements`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `settlement_lines` ADD CONSTRAINT `settlement_lines_booking_id_bookings_id_fk` FOREIGN KEY (`booking_id`) REFERENCES `bookings`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `settlement_lines` ADD CONSTRAINT `settlement_lines_service_id_services_id_fk` FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `settlement_runs` ADD CONSTRAINT `settlement_runs_institution_id_organisations_id_fk` FOREIGN KEY (`institution_id`) REFERENCES `organisations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `settlement_runs` ADD CONSTRAINT `settlement_runs_started_by_user_id_users_id_fk` FOREIGN KEY (`started_by_user_id`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `settlement_statements` ADD CONSTRAINT `settlement_statements_institution_id_organisations_id_fk` FOREIGN KEY (`institution_id`) REFERENCES `organisations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `settlement_statements` ADD CONSTRAINT `settlement_statements_partnership_id_partnerships_id_fk` FOREIGN KEY (`partnership_id`) REFERENCES `partnerships`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `settlement_statements` ADD CONSTRAINT `settlement_statements_issued_by_user_id_users_id_fk` FOREIGN KEY (`issued_by_user_id`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `settlement_statements` ADD CONSTRAINT `settlement_statements_paid_by_user_id_users_id_fk` FOREIGN KEY (`paid_by_user_id`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `settlement_lines_booking_idx` ON `settlement_lines` (`booking_id`);--> statement-breakpoint
CREATE INDEX `settlement_runs_institution_month_idx` ON `settlement_runs` (`institution_id`,`month`);--> statement-breakpoint
CREATE INDEX `settlement_statements_partnership_idx` ON `settlement_statements` (`partnership_id`,`status`);