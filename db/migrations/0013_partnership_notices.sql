CREATE TABLE `partnership_notices` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`partnership_id` int NOT NULL,
	`kind` enum('ended','withdrawn','terms','services') NOT NULL,
	`before` json,
	`after` json,
	`actor_user_id` int,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `partnership_notices_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `partnership_notices` ADD CONSTRAINT `partnership_notices_partnership_id_partnerships_id_fk` FOREIGN KEY (`partnership_id`) REFERENCES `partnerships`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `partnership_notices` ADD CONSTRAINT `partnership_notices_actor_user_id_users_id_fk` FOREIGN KEY (`actor_user_id`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `partnership_notices_partnership_idx` ON `partnership_notices` (`partnership_id`);