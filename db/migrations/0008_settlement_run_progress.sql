ALTER TABLE `settlement_runs` ADD `partnerships_total` int DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `settlement_runs` ADD `partnerships_done` int DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `settlement_runs` ADD `run_key` varchar(100);--> statement-breakpoint
ALTER TABLE `settlement_runs` ADD CONSTRAINT `settlement_runs_run_key_uq` UNIQUE(`run_key`);