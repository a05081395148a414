DROP TABLE `login_blocks`;--> statement-breakpoint
DROP TABLE `login_failures`;