CREATE TABLE `bookings` (
	`id` int AUTO_INCREMENT NOT NULL,
	`institution_id` int NOT NULL,
	`location_id` int NOT NULL,
	`physician_id` int NOT NULL,
	`service_id` int NOT NULL,
	`patient_id` int,
	`starts_at` datetime(3) NOT NULL,
	`ends_at` datetime(3) NOT NULL,
	`status` enum('booked','arrived','fulfilled','cancelled','noshow') NOT NULL DEFAULT 'booked',
	`payment_status` enum('payment_upon_examination','paid_on_site','paid_by_transfer','paid_at_partner','not_paid') NOT NULL DEFAULT 'payment_upon_examination',
	`source_channel` enum('online','phone','partner','staff') NOT NULL,
	`partnership_id` int,
	`booked_by_user_id` int,
	`price_minor` int NOT NULL,
	`currency` char(3) NOT NULL,
	`commission_type` enum('none','percent','fixed') NOT NULL DEFAULT 'none',
	`commission_value` int NOT NULL DEFAULT 0,
	`payment_location` enum('partner','institution'),
	`cancellation_reason` varchar(500),
	`version` int NOT NULL DEFAULT 1,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `bookings_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `gtc_acceptances` (
	`id` int AUTO_INCREMENT NOT NULL,
	`organisation_id` int NOT NULL,
	`user_id` int,
	`gtc_version_id` int NOT NULL,
	`partnership_id` int,
	`accepted_at` datetime(3) NOT NULL,
	`ip` varchar(64),
	CONSTRAINT `gtc_acceptances_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `gtc_versions` (
	`id` int AUTO_INCREMENT NOT NULL,
	`version` varchar(32) NOT NULL,
	`body_en` text NOT NULL,
	`body_ro` text NOT NULL,
	`published_at` datetime(3) NOT NULL,
	CONSTRAINT `gtc_versions_id` PRIMARY KEY(`id`),
	CONSTRAINT `gtc_versions_version_uq` UNIQUE(`version`)
);
--> statement-breakpoint
CREATE TABLE `partner_invitations` (
	`id` int AUTO_INCREMENT NOT NULL,
	`partnership_id` int NOT NULL,
	`kind` enum('registration','approval') NOT NULL,
	`run_key` varchar(100) NOT NULL,
	`token_hash` char(64),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`expires_at` datetime(3) NOT NULL,
	`reminders_sent` smallint NOT NULL DEFAULT 0,
	`used_at` datetime(3),
	`revoked_at` datetime(3),
	CONSTRAINT `partner_invitations_id` PRIMARY KEY(`id`),
	CONSTRAINT `partner_invitations_run_uq` UNIQUE(`run_key`),
	CONSTRAINT `partner_invitations_token_uq` UNIQUE(`token_hash`)
);
--> statement-breakpoint
CREATE TABLE `partnership_locations` (
	`partnership_id` int NOT NULL,
	`location_id` int NOT NULL,
	CONSTRAINT `partnership_locations_partnership_id_location_id_pk` PRIMARY KEY(`partnership_id`,`location_id`)
);
--> statement-breakpoint
CREATE TABLE `partnerships` (
	`id` int AUTO_INCREMENT NOT NULL,
	`institution_id` int NOT NULL,
	`partner_organisation_id` int NOT NULL,
	`status` enum('pending_approval','pending_registration','active','declined','expired','withdrawn','ended') NOT NULL,
	`contact_name` varchar(200) NOT NULL,
	`contact_email` varchar(254) NOT NULL,
	`contact_phone` varchar(32) NOT NULL,
	`commission_type` enum('none','percent','fixed') NOT NULL DEFAULT 'none',
	`commission_value` int NOT NULL DEFAULT 0,
	`commission_currency` char(3),
	`payment_location` enum('partner','institution') NOT NULL,
	`patient_data_access` boolean NOT NULL DEFAULT false,
	`invited_by_user_id` int,
	`invited_at` datetime(3) NOT NULL,
	`accepted_at` datetime(3),
	`closed_at` datetime(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `partnerships_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `workflow_outbox` MODIFY COLUMN `mode` enum('start','restart','signal') NOT NULL DEFAULT 'start';--> statement-breakpoint
ALTER TABLE `workflow_outbox` ADD `signal_name` varchar(64);--> statement-breakpoint
ALTER TABLE `bookings` ADD CONSTRAINT `bookings_institution_id_organisations_id_fk` FOREIGN KEY (`institution_id`) REFERENCES `organisations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `bookings` ADD CONSTRAINT `bookings_location_id_locations_id_fk` FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `bookings` ADD CONSTRAINT `bookings_physician_id_physicians_id_fk` FOREIGN KEY (`physician_id`) REFERENCES `physicians`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `bookings` ADD CONSTRAINT `bookings_service_id_services_id_fk` FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `bookings` ADD CONSTRAINT `bookings_partnership_id_partnerships_id_fk` FOREIGN KEY (`partnership_id`) REFERENCES `partnerships`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `bookings` ADD CONSTRAINT `bookings_booked_by_user_id_users_id_fk` FOREIGN KEY (`booked_by_user_id`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `gtc_acceptances` ADD CONSTRAINT `gtc_acceptances_organisation_id_organisations_id_fk` FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `gtc_acceptances` ADD CONSTRAINT `gtc_acceptances_user_id_users_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `gtc_acceptances` ADD CONSTRAINT `gtc_acceptances_gtc_version_id_gtc_versions_id_fk` FOREIGN KEY (`gtc_version_id`) REFERENCES `gtc_versions`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `gtc_acceptances` ADD CONSTRAINT `gtc_acceptances_partnership_id_partnerships_id_fk` FOREIGN KEY (`partnership_id`) REFERENCES `partnerships`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `partner_invitations` ADD CONSTRAINT `partner_invitations_partnership_id_partnerships_id_fk` FOREIGN KEY (`partnership_id`) REFERENCES `partnerships`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `partnership_locations` ADD CONSTRAINT `partnership_locations_partnership_id_partnerships_id_fk` FOREIGN KEY (`partnership_id`) REFERENCES `partnerships`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `partnership_locations` ADD CONSTRAINT `partnership_locations_location_id_locations_id_fk` FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `partnerships` ADD CONSTRAINT `partnerships_institution_id_organisations_id_fk` FOREIGN KEY (`institution_id`) REFERENCES `organisations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `partnerships` ADD CONSTRAINT `partnerships_partner_organisation_id_organisations_id_fk` FOREIGN KEY (`partner_organisation_id`) REFERENCES `organisations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `partnerships` ADD CONSTRAINT `partnerships_invited_by_user_id_users_id_fk` FOREIGN KEY (`invited_by_user_id`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `bookings_partnership_start_idx` ON `bookings` (`partnership_id`,`starts_at`);--> statement-breakpoint
CREATE INDEX `bookings_physician_start_idx` ON `bookings` (`physician_id`,`starts_at`);--> statement-breakpoint
CREATE INDEX `gtc_acceptances_org_idx` ON `gtc_acceptances` (`organisation_id`);--> statement-breakpoint
CREATE INDEX `partner_invitations_partnership_idx` ON `partner_invitations` (`partnership_id`);--> statement-breakpoint
CREATE INDEX `partnerships_pair_idx` ON `partnerships` (`institution_id`,`partner_organisation_id`,`status`);--> statement-breakpoint
CREATE INDEX `partnerships_partner_idx` ON `partnerships` (`partner_organisation_id`,`status`);