// The cron route answers only its bearer token, and with it runs the sweep and reports counts.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { writeDevnet } from "@/lib/devnet/file";
import { fakeDevnet } from "@/lib/devnet/fixture";
import { parseEnv } from "@/lib/env";
import { GET, POST } from "./route";

const dataDir = mkdtempSync(path.join(tmpdir(), "kiosk-cron-"));
const SECRET = "cron-secret-for-tests-0123456789";

beforeAll(() => {
  writeDevnet(dataDir, fakeDevnet({ rpcUrl: "http://127.0.0.1:9" }));
  process.env.KIOSK_DATA_DIR = dataDir;
  process.env.CRON_SECRET = SECRET;
});
afterAll(() => {
  delete process.env.CRON_SECRET;
  rmSync(dataDir, { recursive: true, force: true });
});

const call = (authorization?: string) =>
  GET(
    new Request("http://127.0.0.1:3000/api/cron/reconcile", {
      headers: authorization ? { authorization } : {},
    }),
  );

it("refuses a missing or wrong bearer token with 401", async () => {
  for (const auth of [undefined, "Bearer wrong", `Bearer ${SECRET}x`, SECRET, `bearer ${SECRET}`]) {
    const r = await call(auth);
    expect(r.status).toBe(401);
    expect((await r.json()).error.code).toBe("not_signed_in");
  }
});

it("with the token, sweeps and reports what it did (GET and POST)", async () => {
  const r = await call(`Bearer ${SECRET}`);
  expect(r.status).toBe(200);
  expect(await r.json()).toMatchObject({ settled: 0, released: 0, errors: 0, examined: 0 });
  const p = await POST(
    new Request("http://127.0.0.1:3000/api/cron/reconcile", {
      method: "POST",
      headers: { authorization: `Bearer ${SECRET}` },
    }),
  );
  expect(p.status).toBe(200);
}, 60_000);

it("CRON_SECRET is optional, and too short a secret is refused by name", () => {
  const base = { KIOSK_DATA_DIR: dataDir };
  expect(parseEnv(base).cronSecret).toBeNull();
  expect(() => parseEnv({ ...base, CRON_SECRET: "short" })).toThrow(/CRON_SECRET/);
});
