CREATE TABLE "catalog_version" (
	"id" integer PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
INSERT INTO "catalog_version" ("id", "version") VALUES (1, 1) ON CONFLICT ("id") DO NOTHING;--> statement-breakpoint
-- Every statement that writes to the catalogue moves the counter (an upsert, so a lost row comes back).
CREATE FUNCTION "catalog_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "catalog_version" ("id", "version") VALUES (1, 1)
    ON CONFLICT ("id") DO UPDATE SET "version" = "catalog_version"."version" + 1;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "articles_catalog_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "articles"
  FOR EACH STATEMENT EXECUTE FUNCTION "catalog_changed"();--> statement-breakpoint
CREATE TRIGGER "data_endpoints_catalog_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "data_endpoints"
  FOR EACH STATEMENT EXECUTE FUNCTION "catalog_changed"();--> statement-breakpoint
CREATE TRIGGER "publishers_catalog_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "publishers"
  FOR EACH STATEMENT EXECUTE FUNCTION "catalog_changed"();
