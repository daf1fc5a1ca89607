// For vitest tests that call route handlers wired from env like the server: a private anvil with
// the devnet deployed, its devnet file and a PGlite database in a temp folder that KIOSK_DATA_DIR
// points at (no DATABASE_URL, no PUBLIC_URL), seeded with the demo catalogue.
//   let site: RouteTestSite;
//   beforeAll(async () => { site = await startRouteTestSite("kiosk-my-test-"); });
//   afterAll(() => site?.stop());
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { getDb } from "../db";
import { seed } from "../db/seed";
import { writeDevnet } from "./file";
import { startTestDevnet, type TestDevnet } from "./testing";

export type RouteTestSite = { chain: TestDevnet; stop(): Promise<void> };

/** `rpcUrl` puts something between the site and its chain (a counting proxy, say). */
export async function startRouteTestSite(
  prefix: string,
  opts: { rpcUrl?: (chainRpcUrl: string) => Promise<string> } = {},
): Promise<RouteTestSite> {
  const dataDir = mkdtempSync(path.join(tmpdir(), prefix));
  const chain = await startTestDevnet();
  writeDevnet(dataDir, {
    ...chain.devnet,
    rpcUrl: opts.rpcUrl ? await opts.rpcUrl(chain.rpcUrl) : chain.rpcUrl,
  });
  process.env.KIOSK_DATA_DIR = dataDir;
  delete process.env.DATABASE_URL;
  delete process.env.PUBLIC_URL;
  await seed(await getDb(), chain.devnet);
  return {
    chain,
    async stop() {
      await chain.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
