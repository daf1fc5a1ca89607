// The fault proxy forwards to a real anvil and misbehaves only as told.
import { createPublicClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRpcProxy, type RpcProxy } from "./rpc-proxy";
import { startTestDevnet, type TestDevnet } from "./testing";

let chain: TestDevnet;
let proxy: RpcProxy;

beforeAll(async () => {
  chain = await startTestDevnet();
  proxy = await startRpcProxy(chain.rpcUrl);
});
afterAll(async () => {
  await proxy?.close();
  await chain?.stop();
});

const client = () =>
  createPublicClient({ cacheTime: 0, transport: http(proxy.url, { retryCount: 0, timeout: 1_000 }) });

describe("rpc proxy", () => {
  it("forwards to the node and counts calls", async () => {
    proxy.setHook(null);
    proxy.reset();
    expect(await client().getChainId()).toBe(31337);
    expect(proxy.count("eth_chainId")).toBe(1);
  });

  it("answers a canned result, an error, or nothing at all", async () => {
    proxy.setHook((c) => (c.method === "eth_chainId" ? { reply: "0x1" } : "forward"));
    expect(await client().getChainId()).toBe(1);
    proxy.setHook(() => ({ error: { code: -32000, message: "already known" } }));
    await expect(client().getBlockNumber()).rejects.toThrow(/already known/);
    proxy.setHook(() => ({ fail: "timeout" }));
    await expect(client().getBlockNumber()).rejects.toThrow(/took too long|timed out/i);
  });

  it("drops an answer after the node acted on the call", async () => {
    const before = await createPublicClient({ transport: http(chain.rpcUrl) }).getBlockNumber();
    proxy.setHook((c) => (c.method === "evm_mine" ? "drop" : "forward"));
    await expect(client().request({ method: "evm_mine" as never })).rejects.toThrow();
    const after = await createPublicClient({ cacheTime: 0, transport: http(chain.rpcUrl) }).getBlockNumber();
    expect(after).toBe(before + 1n);
    proxy.setHook(null);
  });

  it("runs afterForward once the node has answered, before the client gets the answer", async () => {
    const node = createPublicClient({ cacheTime: 0, transport: http(chain.rpcUrl) });
    const before = await node.getBlockNumber();
    let seen: { result?: string } | null = null;
    let heightThen = -1n;
    proxy.setHook((c) =>
      c.method === "evm_mine"
        ? {
            afterForward: async (answer) => {
              seen = answer as { result?: string };
              heightThen = await node.getBlockNumber();
            },
          }
        : "forward",
    );
    await client().request({ method: "evm_mine" as never });
    proxy.setHook(null);
    expect(seen).toMatchObject({ result: "0x0" });
    expect(heightThen).toBe(before + 1n);
  });
});
