// For vitest integration tests: a private anvil chain per test file, with the devnet deployed.
//   const chain = await startTestDevnet();   // in beforeAll
//   await chain.stop();                       // in afterAll
import { createServer } from "node:net";
import { startAnvil } from "./anvil";
import { deployDevnet } from "./deploy";
import type { Devnet } from "./file";

export type TestDevnet = { devnet: Devnet; rpcUrl: string; stop(): Promise<void> };

/** A loopback port the OS just handed out. Another process could take it before anvil binds;
 *  startAnvil then fails loudly instead of sharing someone else's chain. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : null;
      server.close(() => (port ? resolve(port) : reject(new Error("could not pick a free port"))));
    });
  });
}

export async function startTestDevnet(opts: { blockTime?: number } = {}): Promise<TestDevnet> {
  const anvil = await startAnvil({ port: await freePort(), blockTime: opts.blockTime });
  if (anvil.reused) {
    // A fresh port that already answers as a chain would mean tests share state; refuse.
    throw new Error(`port of ${anvil.rpcUrl} was taken by another chain between picking and starting`);
  }
  try {
    const devnet = await deployDevnet(anvil.rpcUrl);
    return { devnet, rpcUrl: anvil.rpcUrl, stop: anvil.stop };
  } catch (error) {
    await anvil.stop();
    throw error;
  }
}
