// An endpoint's path is the resource key its receipts name, so it may be deleted or renamed only
// while nobody has paid for it. Here a payment lands in the last moment a race could use: just
// before the statement that deletes or renames the row. The database wrapper below inserts that
// payment, on the same connection (inside the transaction when there is one), right before the
// first statement that writes data_endpoints; the command must still refuse with 409.
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../db/client";
import type { Publisher } from "../db/queries";
import { schema } from "../db/schema";
import {
  createEndpoint,
  deleteEndpoint,
  endpointCreateSchema,
  ownEndpoint,
  updateEndpoint,
} from "./endpoints";
import { createPublisher } from "./publishers";
import type { Result } from "./results";

type Query = PGlite["query"];
const client = new PGlite();
/** The path a payment should land on when the next write to data_endpoints is sent, if any. */
let payBeforeWriteTo: string | null = null;

function withPaymentBeforeWrite<T extends { query: Query }>(target: T): T {
  return new Proxy(target, {
    get(obj, key, receiver) {
      if (key === "query") {
        return (async (text: string, params?: unknown[], options?: unknown) => {
          if (payBeforeWriteTo && /^(delete from|update) "data_endpoints"/.test(text)) {
            const resource = `data:${payBeforeWriteTo}`;
            payBeforeWriteTo = null;
            await obj.query(
              `insert into payments (method, network, asset, payer, pay_to, nonce, amount_atomic, resource, status)
               values ('authorization', 'eip155:31337', '0xusdc', '0xpayer', '0xpayto', $1, 2000, $2, 'reserved')`,
              [`0x${Math.random().toString(16).slice(2)}`, resource],
            );
          }
          return (obj.query as Query).call(obj, text, params as never, options as never);
        }) as Query;
      }
      if (key === "transaction") {
        return (fn: (tx: { query: Query }) => Promise<unknown>) =>
          (obj as unknown) === client
            ? client.transaction((tx) => fn(withPaymentBeforeWrite(tx as unknown as { query: Query })))
            : (Reflect.get(obj, key, receiver) as (f: typeof fn) => Promise<unknown>)(fn);
      }
      const value = Reflect.get(obj, key, receiver) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(obj) : value;
    },
  });
}

const db = drizzle(withPaymentBeforeWrite(client), { schema }) as unknown as Db;
let publisher: Publisher;

const value = <T>(r: Result<T>): T => {
  if (r.kind !== "ok") throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r.value;
};
const draft = (p: string) =>
  endpointCreateSchema.parse({
    name: "Race",
    path: p,
    format: "json",
    content: "{}",
    price: "0.002",
    accessWindow: "per-request",
  });

beforeAll(async () => {
  await migrate(drizzle(client), { migrationsFolder: path.join(process.cwd(), "drizzle") });
  publisher = value(
    await createPublisher(
      db,
      "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
      { name: "A" },
      {
        token: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
        relayer: null,
      },
    ),
  );
});

afterAll(async () => {
  await client.close();
});

describe("a payment that arrives just before the write", () => {
  it("stops the endpoint's deletion (409), and the endpoint stays", async () => {
    const created = value(await createEndpoint(db, publisher, draft("race/delete.json")));
    payBeforeWriteTo = created.path;
    expect(await deleteEndpoint(db, publisher, created.id)).toEqual({
      kind: "conflict",
      message:
        "Someone paid for this endpoint, so it can't be deleted (their receipts name it); unpublish it instead.",
    });
    expect(payBeforeWriteTo).toBeNull(); // the payment did land
    expect((await ownEndpoint(db, publisher, created.id)).kind).toBe("ok");
  });

  it("stops a rename of its path (409), and the path stays", async () => {
    const created = value(await createEndpoint(db, publisher, draft("race/rename.json")));
    payBeforeWriteTo = created.path;
    expect(await updateEndpoint(db, publisher, created.id, { path: "race/renamed.json" })).toEqual({
      kind: "conflict",
      message: "The path can't change after someone paid for it: receipts and sales are filed under it.",
    });
    expect(payBeforeWriteTo).toBeNull();
    expect(value(await ownEndpoint(db, publisher, created.id)).path).toBe("race/rename.json");
  });

  it("leaves unpaid endpoints free to be renamed and deleted", async () => {
    const created = value(await createEndpoint(db, publisher, draft("race/free.json")));
    expect(value(await updateEndpoint(db, publisher, created.id, { path: "race/free2.json" })).path).toBe(
      "race/free2.json",
    );
    expect(await deleteEndpoint(db, publisher, created.id)).toEqual({
      kind: "ok",
      value: { id: created.id },
    });
  });
});
