CREATE TABLE `booking_events` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`booking_id` int NOT NULL,
	`institution_id` int NOT NULL,
	`type` enum('created','moved','service_changed','cancelled','status_changed','payment_changed') NOT NULL,
	`actor_kind` enum('user','patient','system') NOT NULL,
	`actor_user_id` int,
	`before` json,
	`after` json,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `booking_events_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `patients` (
	`id` int AUTO_INCREMENT NOT NULL,
	`institution_id` int NOT NULL,
	`name` varchar(200) NOT NULL,
	`birth_date` date NOT NULL,
	`national_id` varchar(32),
	`phone` varchar(32) NOT NULL,
	`email` varchar(254),
	`created_by_organisation_id` int NOT NULL,
	`created_by_user_id` int,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `patients_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `bookings` ADD `booked_by_organisation_id` int;--> statement-breakpoint
ALTER TABLE `bookings` ADD `commission_currency` char(3);--> statement-breakpoint
ALTER TABLE `bookings` ADD `cancelled_at` datetime(3);--> statement-breakpoint
ALTER TABLE `bookings` ADD `idempotency_key` varchar(64);--> statement-breakpoint
ALTER TABLE `bookings` ADD `updated_at` datetime(3) DEFAULT CURRENT_TIMESTAMP(3) NOT NULL;--> statement-breakpoint
ALTER TABLE `workflow_outbox` ADD `next_attempt_at` datetime(3);--> statement-breakpoint
ALTER TABLE `workflow_outbox` ADD `failed_at` datetime(3);--> statement-breakpoint
ALTER TABLE `bookings` ADD CONSTRAINT `bookings_idempotency_uq` UNIQUE(`booked_by_user_id`,`idempotency_key`);--> statement-breakpoint
ALTER TABLE `booking_events` ADD CONSTRAINT `booking_events_booking_id_bookings_id_fk` FOREIGN KEY (`booking_id`) REFERENCES `bookings`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `booking_events` ADD CONSTRAINT `booking_events_institution_id_organisations_id_fk` FOREIGN KEY (`institution_id`) REFERENCES `organisations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `booking_events` ADD CONSTRAINT `booking_events_actor_user_id_users_id_fk` FOREIGN KEY (`actor_user_id`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `patients` ADD CONSTRAINT `patients_institution_id_organisations_id_fk` FOREIGN KEY (`institution_id`) REFERENCES `organisations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `patients` ADD CONSTRAINT `patients_created_by_organisation_id_organisations_id_fk` FOREIGN KEY (`created_by_organisation_id`) REFERENCES `organisations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `patients` ADD CONSTRAINT `patients_created_by_user_id_users_id_fk` FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `booking_events_booking_idx` ON `booking_events` (`booking_id`,`id`);--> statement-breakpoint
CREATE INDEX `booking_events_institution_at_idx` ON `booking_events` (`institution_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `patients_institution_name_idx` ON `patients` (`institution_id`,`name`);--> statement-breakpoint
CREATE INDEX `patients_institution_national_id_idx` ON `patients` (`institution_id`,`national_id`);--> statement-breakpoint
CREATE INDEX `patients_institution_phone_idx` ON `patients` (`institution_id`,`phone`);--> statement-breakpoint
CREATE INDEX `patients_institution_birth_idx` ON `patients` (`institution_id`,`birth_date`);--> statement-breakpoint
ALTER TABLE `bookings` ADD CONSTRAINT `bookings_patient_id_patients_id_fk` FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `bookings` ADD CONSTRAINT `bookings_booked_by_organisation_id_organisations_id_fk` FOREIGN KEY (`booked_by_organisation_id`) REFERENCES `organisations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `bookings_institution_start_idx` ON `bookings` (`institution_id`,`starts_at`);--> statement-breakpoint
CREATE INDEX `bookings_patient_idx` ON `bookings` (`patient_id`);--> statement-breakpoint
CREATE INDEX `workflow_outbox_failed_idx` ON `workflow_outbox` (`failed_at`);