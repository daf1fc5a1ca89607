// The liveness probe answers from the process alone: no env, no database, no chain. With the
// environment made unusable (an invalid network, no data folder) it still says the process is up.
import { afterEach, describe, expect, it } from "vitest";
import { GET } from "./route";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe("GET /api/health/live", () => {
  it("answers 200 { ok: true }, uncached, without touching the env or the database", async () => {
    process.env.KIOSK_NETWORK = "not-a-network";
    process.env.DATABASE_URL = "postgres://nobody@127.0.0.1:1/none";
    const res = GET();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ ok: true });
  });
});
