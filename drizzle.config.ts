import { defineConfig } from "drizzle-kit";

// `npx drizzle-kit generate` writes SQL migrations to drizzle/; both PGlite and Postgres run them.
export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/db/schema.ts",
  out: "./drizzle",
});
