CREATE TABLE `channel_services` (
	`institution_id` int NOT NULL,
	`service_id` int NOT NULL,
	`channel_key` varchar(40) NOT NULL,
	`partnership_id` int,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `channel_services_service_id_channel_key_pk` PRIMARY KEY(`service_id`,`channel_key`)
);
--> statement-breakpoint
ALTER TABLE `channel_services` ADD CONSTRAINT `channel_services_institution_id_organisations_id_fk` FOREIGN KEY (`institution_id`) REFERENCES `organisations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `channel_services` ADD CONSTRAINT `channel_services_service_id_services_id_fk` FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `channel_services` ADD CONSTRAINT `channel_services_partnership_id_partnerships_id_fk` FOREIGN KEY (`partnership_id`) REFERENCES `partnerships`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `channel_services_institution_idx` ON `channel_services` (`institution_id`,`channel_key`);