ALTER TABLE "publishers" ADD COLUMN "free_reads_per_month" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "resource_stats" ADD COLUMN "free_reads" integer DEFAULT 0 NOT NULL;