// Fail closed: with the database unreachable, a paid article answers 503 and never its content,
// even to a request that carries a payment.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { writeDevnet } from "@/lib/devnet/file";
import { GET } from "./route";

const dataDir = mkdtempSync(path.join(tmpdir(), "kiosk-outage-"));

beforeAll(() => {
  writeDevnet(dataDir, {
    rpcUrl: "http://127.0.0.1:9",
    chainId: 31337,
    usdc: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    payTo: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    facilitator: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
    multicall: "0xcA11bde05977b3631167028862bE2a173976CA11",
    accounts: [
      {
        role: "relayer",
        address: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
        privateKey: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
      },
    ],
  });
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
