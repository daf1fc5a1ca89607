ALTER TABLE "articles" ADD COLUMN "promo_price_atomic" bigint;--> statement-breakpoint
ALTER TABLE "articles" ADD COLUMN "promo_starts_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "articles" ADD COLUMN "promo_ends_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "data_endpoints" ADD COLUMN "promo_price_atomic" bigint;--> statement-breakpoint
ALTER TABLE "data_endpoints" ADD COLUMN "promo_starts_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "data_endpoints" ADD COLUMN "promo_ends_at" timestamp with time zone;