CREATE TABLE "refunds" (
	"id" serial PRIMARY KEY NOT NULL,
	"payment_id" integer NOT NULL,
	"publisher_id" integer NOT NULL,
	"network" text NOT NULL,
	"tx_hash" text NOT NULL,
	"status" text NOT NULL,
	"amount_atomic" bigint NOT NULL,
	"transferred_atomic" bigint,
	"sender" text,
	"block_number" bigint,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "entitlements" ADD COLUMN "revoked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_publisher_id_publishers_id_fk" FOREIGN KEY ("publisher_id") REFERENCES "public"."publishers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_payment_key" ON "refunds" USING btree ("payment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_tx_key" ON "refunds" USING btree ("network","tx_hash");--> statement-breakpoint
CREATE INDEX "refunds_publisher_idx" ON "refunds" USING btree ("publisher_id");--> statement-breakpoint
CREATE INDEX "entitlements_revoked_idx" ON "entitlements" USING btree ("revoked_at") WHERE "entitlements"."revoked_at" is not null;