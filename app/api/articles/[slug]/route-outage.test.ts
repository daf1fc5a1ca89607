// Fail closed: with the database unreachable, a paid article answers 503 and never its content,
// even to a request that carries a payment.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { writeDevnet } from "@/lib/devnet/file";
import { fakeDevnet } from "@/lib/devnet/fixture";
import { GET } from "./route";

const dataDir = mkdtempSync(path.join(tmpdir(), "kiosk-outage-"));

beforeAll(() => {
  writeDevnet(dataDir, fakeDevnet({ rpcUrl: "http://127.0.0.1:9" }));
  process.env.KIOSK_DATA_DIR = dataDir;
  process.env.DATABASE_URL = "postgres://kiosk@127.0.0.1:9/kiosk"; // nothing listens on the discard port
});
afterAll(() => {
  delete process.env.DATABASE_URL;
  rmSync(dataDir, { recursive: true, force: true });
});

it("answers 503 database_unavailable quickly, with no content", async () => {
  const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
  const started = Date.now();
  const r = await GET(
    new Request("http://127.0.0.1:3000/api/articles/the-long-wait-for-402", {
      headers: { "payment-signature": "e30=" },
    }),
    {
      params: Promise.resolve({ slug: "the-long-wait-for-402" }),
    },
  );
  quiet.mockRestore();
  expect(r.status).toBe(503);
  expect(await r.json()).toEqual({
    error: { code: "database_unavailable", message: expect.stringMatching(/nothing was charged/) },
  });
  expect(Date.now() - started).toBeLessThan(6_000);
});
