CREATE TABLE "articles" (
	"id" serial PRIMARY KEY NOT NULL,
	"publisher_id" integer NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"teaser" text NOT NULL,
	"body" text NOT NULL,
	"price_atomic" bigint NOT NULL,
	"access_window_seconds" integer,
	"published" boolean DEFAULT false NOT NULL,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "articles_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "data_endpoints" (
	"id" serial PRIMARY KEY NOT NULL,
	"publisher_id" integer NOT NULL,
	"path" text NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"content_type" text NOT NULL,
	"content" text NOT NULL,
	"price_atomic" bigint NOT NULL,
	"access_window_seconds" integer,
	"published" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "data_endpoints_path_unique" UNIQUE("path")
);
--> statement-breakpoint
CREATE TABLE "entitlements" (
	"id" serial PRIMARY KEY NOT NULL,
	"payer" text NOT NULL,
	"resource" text NOT NULL,
	"payment_id" integer NOT NULL,
	"amount_atomic" bigint NOT NULL,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" serial PRIMARY KEY NOT NULL,
	"method" text NOT NULL,
	"network" text NOT NULL,
	"asset" text NOT NULL,
	"payer" text NOT NULL,
	"pay_to" text NOT NULL,
	"nonce" text,
	"tx_hash" text,
	"amount_atomic" bigint NOT NULL,
	"resource" text NOT NULL,
	"status" text NOT NULL,
	"error_reason" text,
	"channel" text DEFAULT 'agent' NOT NULL,
	"x402_version" integer DEFAULT 2 NOT NULL,
	"lock_key" text,
	"payload" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "publishers" (
	"id" serial PRIMARY KEY NOT NULL,
	"wallet" text NOT NULL,
	"name" text NOT NULL,
	"pay_to" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "publishers_wallet_unique" UNIQUE("wallet")
);
--> statement-breakpoint
CREATE TABLE "resource_stats" (
	"resource" text NOT NULL,
	"day" text NOT NULL,
	"shown_402" integer DEFAULT 0 NOT NULL,
	"receipt_reads" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signin_nonces" (
	"nonce" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "articles" ADD CONSTRAINT "articles_publisher_id_publishers_id_fk" FOREIGN KEY ("publisher_id") REFERENCES "public"."publishers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_endpoints" ADD CONSTRAINT "data_endpoints_publisher_id_publishers_id_fk" FOREIGN KEY ("publisher_id") REFERENCES "public"."publishers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entitlements" ADD CONSTRAINT "entitlements_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "articles_publisher_idx" ON "articles" USING btree ("publisher_id");--> statement-breakpoint
CREATE UNIQUE INDEX "entitlements_payment_key" ON "entitlements" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "entitlements_payer_resource_idx" ON "entitlements" USING btree ("payer","resource");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_authorization_key" ON "payments" USING btree ("network","asset","payer","nonce");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_tx_hash_key" ON "payments" USING btree ("network","tx_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_in_flight_key" ON "payments" USING btree ("lock_key") WHERE "payments"."status" in ('reserved', 'settling');--> statement-breakpoint
CREATE INDEX "payments_resource_idx" ON "payments" USING btree ("resource");--> statement-breakpoint
CREATE INDEX "payments_status_idx" ON "payments" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "resource_stats_key" ON "resource_stats" USING btree ("resource","day");