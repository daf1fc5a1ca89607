// A JSON-RPC proxy in front of a real node, for tests that need a faulty network: answers held,
// answers dropped after the node acted on the call, calls sent twice, a hook that runs when a
// method passes (to kill a server mid-settlement). The node itself is never faked: every call the
// hook lets through reaches it unchanged. Listens on loopback only.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type RpcCall = { method: string; params: unknown[]; id: unknown };

/**
 * What to do with one call (a batch is handled call by call and answered as a batch):
 * - "forward": pass it on and answer normally;
 * - "drop": pass it on, let the node act on it, then lose the answer (the socket is destroyed);
 * - { dropAfter }: as "drop", running `dropAfter` once the node has answered (e.g. to kill the
 *   server that sent the call, exactly after the chain accepted it);
 * - { afterForward }: pass it on, run `afterForward` with the node's answer, then answer normally
 *   (a test that acts "once the node has the transaction" waits for this, not for the call);
 * - "duplicate": pass it on twice (as a client retry would), answer with the second reply;
 * - { delayMs }: pass it on, hold the answer this long;
 * - { reply }: answer this JSON-RPC result without asking the node;
 * - { error }: answer this JSON-RPC error without asking the node;
 * - { fail: "timeout" }: never answer (the client's own timeout fires).
 */
export type RpcAction =
  | "forward"
  | "drop"
  | "duplicate"
  | { dropAfter: () => void | Promise<void> }
  | { afterForward: (answer: unknown) => void | Promise<void> }
  | { delayMs: number }
  | { reply: unknown }
  | { error: { code: number; message: string } }
  | { fail: "timeout" };

export type RpcHook = (call: RpcCall) => RpcAction | Promise<RpcAction>;

export type RpcProxy = {
  url: string;
  /** Replace the hook (default: forward everything). */
  setHook(hook: RpcHook | null): void;
  /** Every call seen, in order, with the action taken. */
  calls: { method: string; action: string }[];
  /** Count of calls to one method since the proxy started (or since `reset`). */
  count(method: string): number;
  reset(): void;
  close(): Promise<void>;
};

export async function startRpcProxy(upstream: string): Promise<RpcProxy> {
  let hook: RpcHook | null = null;
  const calls: RpcProxy["calls"] = [];
  const open = new Set<ServerResponse>();

  async function forward(body: unknown): Promise<unknown> {
    const res = await fetch(upstream, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return res.json();
  }

  type Outcome = { kind: "answer"; value: unknown } | { kind: "drop" } | { kind: "hang" };

  async function handle(call: RpcCall): Promise<Outcome> {
    const action = hook ? await hook(call) : "forward";
    calls.push({
      method: call.method,
      action: typeof action === "string" ? action : Object.keys(action)[0]!,
    });
    if (action === "forward") return { kind: "answer", value: await forward(call) };
    if (action === "drop") {
      await forward(call);
      return { kind: "drop" };
    }
    if (action === "duplicate") {
      await forward(call);
      return { kind: "answer", value: await forward(call) };
    }
    if ("dropAfter" in action) {
      await forward(call);
      await action.dropAfter();
      return { kind: "drop" };
    }
    if ("afterForward" in action) {
      const value = await forward(call);
      await action.afterForward(value);
      return { kind: "answer", value };
    }
    if ("delayMs" in action) {
      const value = await forward(call);
      await new Promise((r) => setTimeout(r, action.delayMs));
      return { kind: "answer", value };
    }
    if ("reply" in action)
      return { kind: "answer", value: { jsonrpc: "2.0", id: call.id, result: action.reply } };
    if ("error" in action)
      return { kind: "answer", value: { jsonrpc: "2.0", id: call.id, error: action.error } };
    return { kind: "hang" };
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    open.add(res);
    res.on("close", () => open.delete(res));
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          res.writeHead(400).end();
          return;
        }
        const batch = Array.isArray(parsed);
        const list = (batch ? parsed : [parsed]) as RpcCall[];
        try {
          const outcomes = await Promise.all(list.map((c) => handle({ ...c, params: c.params ?? [] })));
          if (outcomes.some((o) => o.kind === "hang")) return; // the client times out
          if (outcomes.some((o) => o.kind === "drop")) {
            req.socket.destroy();
            return;
          }
          const values = outcomes.map((o) => (o as { value: unknown }).value);
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify(batch ? values : values[0]));
        } catch {
          req.socket.destroy(); // the node itself is gone
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    setHook(h) {
      hook = h;
    },
    calls,
    count: (method) => calls.filter((c) => c.method === method).length,
    reset() {
      calls.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
