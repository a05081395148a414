ALTER TABLE `email_outbox` MODIFY COLUMN `status` enum('pending','sent','skipped') NOT NULL DEFAULT 'pending';--> statement-breakpoint
ALTER TABLE `patients` MODIFY COLUMN `birth_date` date;--> statement-breakpoint
ALTER TABLE `patients` MODIFY COLUMN `phone` varchar(32);--> statement-breakpoint
ALTER TABLE `patients` ADD `erased_at` datetime(3);--> statement-breakpoint
ALTER TABLE `patients` ADD `erased_by_user_id` int;--> statement-breakpoint
ALTER TABLE `patients` ADD CONSTRAINT `patients_erased_by_user_id_users_id_fk` FOREIGN KEY (`erased_by_user_id`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;