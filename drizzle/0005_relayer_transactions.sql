CREATE TABLE "relayer_nonces" (
	"relayer" text NOT NULL,
	"chain_id" integer NOT NULL,
	"next_nonce" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "relayer_nonces_relayer_chain_id_pk" PRIMARY KEY("relayer","chain_id")
);
--> statement-breakpoint
CREATE TABLE "relayer_transactions" (
	"id" serial PRIMARY KEY NOT NULL,
	"relayer" text NOT NULL,
	"chain_id" integer NOT NULL,
	"nonce" integer NOT NULL,
	"to" text NOT NULL,
	"data" text NOT NULL,
	"gas" bigint NOT NULL,
	"authorization" text,
	"hash" text NOT NULL,
	"raw" text NOT NULL,
	"hashes" jsonb NOT NULL,
	"max_fee_per_gas" bigint NOT NULL,
	"max_priority_fee_per_gas" bigint NOT NULL,
	"status" text NOT NULL,
	"mined_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "relayer_transactions_nonce_key" ON "relayer_transactions" USING btree ("relayer","chain_id","nonce");--> statement-breakpoint
CREATE UNIQUE INDEX "relayer_transactions_authorization_key" ON "relayer_transactions" USING btree ("relayer","chain_id","authorization");--> statement-breakpoint
CREATE INDEX "relayer_transactions_status_idx" ON "relayer_transactions" USING btree ("relayer","chain_id","status");