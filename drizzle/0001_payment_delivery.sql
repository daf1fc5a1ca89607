ALTER TABLE "payments" ADD COLUMN "client_payment_id" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "delivered_at" timestamp with time zone;