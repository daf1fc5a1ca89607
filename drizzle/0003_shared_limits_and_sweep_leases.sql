CREATE TABLE "rate_counters" (
	"key" text NOT NULL,
	"bucket" bigint NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rate_counters_key_bucket_pk" PRIMARY KEY("key","bucket")
);
--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "reconcile_lease_until" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "rate_counters_expires_idx" ON "rate_counters" USING btree ("expires_at");