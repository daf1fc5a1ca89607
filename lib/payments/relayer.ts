// The in-process facilitator's signer: the one account that pays gas for settlements.
// The official `toFacilitatorEvmSigner` wraps a viem wallet client, which lets viem pick the
// nonce per call, so concurrent settlements collide. Here nonces live in the database: one row
// per relayer key is locked FOR UPDATE for the few milliseconds it takes to hand out a nonce and
// record the signed transaction (never across a network call), so any number of processes on one
// key and one database never pick the same nonce. Every signed transaction is recorded with its
// nonce, calldata, fees and hashes; a nonce is reused only to replace its own transaction (same
// calldata, higher fees). Transactions are signed locally and sent raw, the hash known before the
// send; the chain reads the exact-EVM scheme repeats per payment (bytecode of the token and of the
// payer) are cached briefly.
import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import type { FacilitatorEvmSigner } from "@x402/evm";
import { and, asc, eq, lt, sql } from "drizzle-orm";
import {
  BaseError,
  HttpRequestError,
  TimeoutError,
  TransactionNotFoundError,
  createPublicClient,
  encodeFunctionData,
  http,
  keccak256,
  toFunctionSelector,
  type Abi,
  type Hex,
  type Log,
  type PublicClient,
} from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import type { Db } from "../db/client";
import { relayerNonces, relayerTransactions } from "../db/schema";

export class RelayerError extends Error {
  constructor(
    readonly kind: "unfunded" | "rpc" | "paused",
    message: string,
  ) {
    super(message);
  }
}

/** Enough for transferWithAuthorization with an EOA or a modest ERC-1271 wallet; unused gas is not paid. */
export const SETTLEMENT_GAS = 250_000n;
/**
 * The gas limit of a counterfactual (ERC-6492) payer's deployment through an allowed factory,
 * sent just before its first settlement: a wallet's full runtime code is ~200 gas per byte.
 */
export const WALLET_DEPLOYMENT_GAS = 1_000_000n;
const CODE_TTL_MS = 60_000;
const FEE_TTL_MS = 5_000;
const PRIORITY_FEE = 1_000_000n; // 0.001 gwei
/** How long the oldest pending transaction may sit before it is rebroadcast or replaced. */
const STUCK_MS = 2_000;
/** A pending gap older than this pauses new settlements (a fast 503 instead of a long wait). */
const WEDGED_MS = 20_000;
/** A replacement must outbid its predecessor by at least this (nodes require +10 %). */
const BUMP_PER_MILLE = 1_125n;

const TRANSFER_WITH_AUTHORIZATION = new Set([
  toFunctionSelector(
    "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)",
  ),
  toFunctionSelector("transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)"),
]);

/** `from|nonce` of an EIP-3009 transferWithAuthorization call, lower-case; null for other calls. */
export function authorizationOf(data: Hex): string | null {
  if (!TRANSFER_WITH_AUTHORIZATION.has(data.slice(0, 10).toLowerCase() as Hex)) return null;
  const word = (i: number) => data.slice(10 + 64 * i, 10 + 64 * (i + 1)).toLowerCase();
  return `0x${word(0).slice(24)}|0x${word(5)}`;
}

/**
 * What the relayer saw during one facilitator call. The official scheme folds a failed chain read
 * into "invalid signature" and a refused send into a plain failure; this record, kept per call
 * (never per process), tells an outage from a bad payment for that call alone.
 */
export type RelayerCall = {
  readFailed: boolean;
  unfunded: boolean;
  paused: boolean;
  sent: Hex[];
  /**
   * A payer (lower-case) whose plain 65-byte signature of this very authorization the caller
   * recovered to it locally. The scheme reads a payer's code only to choose between an ECDSA
   * check and ERC-1271 (a plain signature is never ERC-6492 wrapped, so no deployment hangs on
   * it): for this payer that read is skipped and the ECDSA check runs, which it passes. The
   * settlement's simulation, run as the transaction will be sent, still has the last word, so a
   * payer whose code would refuse the signature on chain (an EIP-7702 account) is still refused
   * before anything is sent.
   */
  signedLocally?: string;
};

const currentCall = new AsyncLocalStorage<RelayerCall>();

/** A fresh record for one facilitator call; `signedLocally` as in RelayerCall. */
export function newRelayerCall(signedLocally?: string): RelayerCall {
  return {
    readFailed: false,
    unfunded: false,
    paused: false,
    sent: [],
    ...(signedLocally ? { signedLocally: signedLocally.toLowerCase() } : {}),
  };
}

export type RelayerStatus = {
  address: `0x${string}`;
  /** Gas money left, in wei (null: the chain could not be read). */
  balanceWei: bigint | null;
  /** Transactions sent and not yet seen mined. */
  pending: number;
  /** Age of the oldest of them, 0 when none. */
  oldestPendingMs: number;
  /** New settlements are refused (stuck transaction, or the fee it needs is over the ceiling). */
  paused: boolean;
};

export type Relayer = FacilitatorEvmSigner & {
  address: `0x${string}`;
  /**
   * Runs one facilitator call and returns, with its result, what the relayer saw during it (in
   * `call`, which a caller may pass in to read it also when `run` throws).
   */
  track<T>(run: () => Promise<T>, call?: RelayerCall): Promise<{ value: T; call: RelayerCall }>;
  /** Whether this relayer key sent a transaction carrying this authorization (`from`, `nonce`). */
  sentFor(authorization: { from: string; nonce: string }): Promise<boolean>;
  /** The hash that was mined for the transaction first sent as `hash` (a replacement's, if replaced). */
  minedHash(hash: Hex): Promise<Hex>;
  /** Balance and pending transactions, for a health endpoint. */
  relayerStatus(): Promise<RelayerStatus>;
  publicClient: PublicClient;
  /** Sends one call with a nonce from the database; resolves with the hash once the node took it. */
  send(tx: { to: `0x${string}`; data: Hex; gas?: bigint }): Promise<Hex>;
};

type TxRow = typeof relayerTransactions.$inferSelect;

export function createRelayer(opts: {
  rpcUrl: string;
  chainId: number;
  privateKey: Hex;
  /** Where nonces and sent transactions are kept; shared by every process on this key. */
  db: Db | (() => Promise<Db>);
  /** Never pay more than this per gas (gwei); a settlement that would need more waits (503). */
  maxFeeGwei?: number;
  /** How long a settlement waits for its receipt before its outcome is "not known yet". */
  receiptTimeoutMs?: number;
}): Relayer {
  const account: PrivateKeyAccount = privateKeyToAccount(opts.privateKey);
  const address = account.address;
  const key = { relayer: address.toLowerCase(), chainId: opts.chainId };
  const maxFee = BigInt(Math.round((opts.maxFeeGwei ?? 50) * 1e9));
  const receiptTimeout = opts.receiptTimeoutMs ?? 60_000;
  const getDb = typeof opts.db === "function" ? opts.db : () => Promise.resolve(opts.db as Db);
  const publicClient = createPublicClient({
    cacheTime: 0,
    transport: http(opts.rpcUrl, { timeout: 10_000, retryCount: 1 }),
  }) as PublicClient;
  // Sends are never retried by the transport: a retry of an accepted send is answered "already
  // known" or "nonce too low", which only broadcast() reads correctly.
  const sendClient = createPublicClient({
    cacheTime: 0,
    transport: http(opts.rpcUrl, { timeout: 10_000, retryCount: 0 }),
  }) as PublicClient;

  const counted = async <T>(read: () => Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      const call = currentCall.getStore();
      if (call && isTransportError(error)) {
        call.readFailed = true; // a revert is an answer, not an outage
        // The settle reports only "a read failed"; the log keeps what failed, for the operator.
        console.warn("[kiosk] relayer chain read failed:", fullMessage(error).slice(0, 300));
      }
      throw error;
    }
  };
  const codeCache = new Map<string, { code: Hex | undefined; at: number }>();
  let fees: { base: bigint; at: number } | null = null;
  let nonceRowReady = false;
  /**
   * The counter as this process's last handout left it: the nonce its next send most likely
   * gets, tried in one statement. Null when unknown (another sender moved it, a nonce was given
   * back or skipped): the next send reads the counter first.
   */
  let lastNext: number | null = null;
  /** In this process, one assignment and send at a time keeps nonces reaching the node in order. */
  let queue: Promise<unknown> = Promise.resolve();
  let tending: Promise<void> | null = null;
  /** Set while the oldest pending transaction needs a fee above the ceiling. */
  let overCeiling = false;
  /**
   * What this process just did, so the receipt wait and the facilitator's "which hash was mined"
   * need not read it back: the row of a transaction it just sent (hash → row, as recorded), and
   * the hash mined for a transaction it waited on (first hash → mined hash). Both are only
   * shortcuts: a miss reads the database.
   */
  const justSent = new Map<string, TxRow>();
  const minedFor = new Map<string, Hex>();
  const remember = <V>(m: Map<string, V>, k: string, v: V) => {
    if (m.size >= 1_000) m.clear();
    m.set(k, v);
  };

  const nonceRow = and(eq(relayerNonces.relayer, key.relayer), eq(relayerNonces.chainId, key.chainId));
  /** The key's nonce row, locked until the surrounding transaction ends (milliseconds: no network inside). */
  const lockNonces = async (t: Pick<Db, "select">) =>
    (await t.select().from(relayerNonces).where(nonceRow).for("update"))[0];
  const mine = () =>
    and(eq(relayerTransactions.relayer, key.relayer), eq(relayerTransactions.chainId, key.chainId));

  async function baseFee(): Promise<bigint> {
    if (fees && Date.now() - fees.at < FEE_TTL_MS) return fees.base;
    const block = await publicClient.getBlock({ blockTag: "latest" });
    fees = { base: block.baseFeePerGas ?? 1_000_000_000n, at: Date.now() };
    return fees.base;
  }

  /** Twice the base fee rides out several full blocks of increases; capped at the ceiling. */
  function feesFor(base: bigint): { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | null {
    if (base + PRIORITY_FEE > maxFee) return null;
    const wanted = base * 2n + PRIORITY_FEE;
    return { maxFeePerGas: wanted > maxFee ? maxFee : wanted, maxPriorityFeePerGas: PRIORITY_FEE };
  }

  async function sign(row: {
    nonce: number;
    to: string;
    data: string;
    gas: bigint;
    maxFeePerGas: bigint;
    maxPriorityFeePerGas: bigint;
  }): Promise<{ raw: Hex; hash: Hex }> {
    const raw = await account.signTransaction({
      type: "eip1559",
      chainId: opts.chainId,
      to: row.to as `0x${string}`,
      data: row.data as Hex,
      nonce: row.nonce,
      gas: row.gas,
      maxFeePerGas: row.maxFeePerGas,
      maxPriorityFeePerGas: row.maxPriorityFeePerGas,
    });
    // The hash is fixed by the signed bytes; knowing it before sending is what lets a lost
    // answer be settled from the chain instead of being guessed at.
    return { raw, hash: keccak256(raw) };
  }

  /**
   * Broadcasts signed bytes whose hash we already know. Only an answer that proves the node
   * refused them counts as "not sent"; a timeout or a lost answer may have been accepted, and
   * "already known" or "nonce too low" for our own bytes means they were.
   */
  async function broadcast(
    raw: Hex,
    hash: Hex,
  ): Promise<"accepted" | "unfunded" | "nonce-taken" | "fee" | { rejected: unknown }> {
    try {
      await sendClient.sendRawTransaction({ serializedTransaction: raw });
      return "accepted";
    } catch (error) {
      const message = fullMessage(error);
      // Nothing reached a node that refused the connection; any other transport failure may
      // have been accepted: pending, with the hash known.
      if (isTransportError(error)) return /ECONNREFUSED/.test(message) ? { rejected: error } : "accepted";
      if (/already known|known transaction|already imported|already exists/i.test(message)) return "accepted";
      if (/insufficient funds/i.test(message)) return "unfunded";
      if (/nonce|replacement transaction/i.test(message)) {
        // Our own bytes mined or pending under this nonce: sent. Anything else holds the nonce.
        return (await knownToNode(hash)) ? "accepted" : "nonce-taken";
      }
      if (/underpriced|fee|base fee/i.test(message)) return "fee";
      return { rejected: error };
    }
  }

  async function knownToNode(hash: Hex): Promise<boolean> {
    try {
      await publicClient.getTransaction({ hash });
      return true;
    } catch (error) {
      if (error instanceof TransactionNotFoundError) return false;
      return true; // cannot tell: never assume a send of ours is gone
    }
  }

  async function chainNonce(blockTag: "latest" | "pending"): Promise<number> {
    return publicClient.getTransactionCount({ address, blockTag });
  }

  /**
   * A chain whose count is behind the database's (a local devnet restarted without its state)
   * would leave every new transaction queued behind a gap. Rewinds the counter only when that is
   * certain: nothing of ours pending, and the counter unchanged between a database read and a
   * chain read made after it, so no other instance handed out a nonce the chain has not seen.
   */
  async function rewindAfterChainReset(db: Db, firstSeen: number): Promise<void> {
    const [seen] = await db.select().from(relayerNonces).where(nonceRow);
    if (!seen || firstSeen >= seen.nextNonce) return;
    const pendingOf = async (t: Pick<Db, "select">) =>
      (
        await t
          .select({ id: relayerTransactions.id })
          .from(relayerTransactions)
          .where(and(mine(), eq(relayerTransactions.status, "pending")))
          .limit(1)
      ).length > 0;
    if (await pendingOf(db)) return;
    const fresh = await chainNonce("pending");
    if (fresh >= seen.nextNonce) return;
    await db.transaction(async (t) => {
      const lock = await lockNonces(t);
      if (!lock || lock.nextNonce !== seen.nextNonce || (await pendingOf(t))) return;
      await t.update(relayerNonces).set({ nextNonce: fresh, updatedAt: new Date() }).where(nonceRow);
    });
  }

  /**
   * The common case in one statement: sign for the nonce the counter showed a moment ago, then
   * move the counter from exactly that value and record the transaction together (a
   * compare-and-set; the statement is atomic). Null when another sender moved the counter first:
   * the signed bytes are dropped unsent and the locked path below takes over. With
   * `unlessPendingSince`, also null while a transaction of this key sent before that instant is
   * still pending (the send may be paused: the caller takes the full check). A second send of
   * one authorization fails on relayer_transactions_authorization_key, moving nothing.
   */
  async function assignExpected(
    db: Db,
    nonce: number,
    tx: { to: `0x${string}`; data: Hex; gas: bigint },
    auth: string | null,
    fee: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint },
    unlessPendingSince?: Date,
  ): Promise<TxRow | null> {
    const signed = await sign({ nonce, to: tx.to, data: tx.data, gas: tx.gas, ...fee });
    const t = relayerTransactions;
    const n = relayerNonces;
    const result = (await db.execute(sql`
      with bumped as (
        update ${n} set ${sql.identifier(n.nextNonce.name)} = ${nonce + 1}, ${sql.identifier(n.updatedAt.name)} = now()
        where ${n.relayer} = ${key.relayer} and ${n.chainId} = ${key.chainId} and ${n.nextNonce} = ${nonce}
        ${
          unlessPendingSince
            ? sql`and not exists (select 1 from ${t} where ${and(mine(), eq(t.status, "pending"), lt(t.createdAt, unlessPendingSince))})`
            : sql``
        }
        returning 1
      )
      insert into ${t} (${sql.join(
        [
          t.relayer,
          t.chainId,
          t.nonce,
          t.to,
          t.data,
          t.gas,
          t.authorization,
          t.hash,
          t.hashes,
          t.raw,
          t.maxFeePerGas,
          t.maxPriorityFeePerGas,
          t.status,
        ].map((c) => sql.identifier(c.name)),
        sql`, `,
      )})
      select ${key.relayer}, ${key.chainId}, ${nonce}, ${tx.to.toLowerCase()}, ${tx.data},
        ${tx.gas.toString()}::bigint, ${auth}, ${signed.hash}, ${JSON.stringify([signed.hash])}::jsonb,
        ${signed.raw}, ${fee.maxFeePerGas.toString()}::bigint, ${fee.maxPriorityFeePerGas.toString()}::bigint,
        'pending'
      from bumped
      returning ${t.id}, ${t.createdAt}, ${t.updatedAt}
    `)) as unknown as { rows: { id: number; created_at: Date | string; updated_at: Date | string }[] };
    const inserted = result.rows[0];
    if (!inserted) {
      lastNext = null;
      return null;
    }
    lastNext = nonce + 1;
    return {
      id: inserted.id,
      ...pendingRow(nonce, tx, auth, signed, fee),
      minedHash: null,
      createdAt: new Date(inserted.created_at),
      updatedAt: new Date(inserted.updated_at),
    };
  }

  /** The row of a transaction just signed for `nonce`, as both handout paths record it. */
  function pendingRow(
    nonce: number,
    tx: { to: `0x${string}`; data: Hex; gas: bigint },
    auth: string | null,
    signed: { hash: Hex; raw: Hex },
    fee: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint },
  ) {
    return {
      ...key,
      nonce,
      to: tx.to.toLowerCase(),
      data: tx.data,
      gas: tx.gas,
      authorization: auth,
      hash: signed.hash,
      hashes: [signed.hash],
      raw: signed.raw,
      maxFeePerGas: fee.maxFeePerGas,
      maxPriorityFeePerGas: fee.maxPriorityFeePerGas,
      status: "pending" as const,
    };
  }

  /**
   * Hands out the next nonce and records the signed transaction. `expected` is the counter as
   * just read (without a lock): tried first in one statement; otherwise, or when it has moved, the
   * key's row is locked for the handout.
   */
  async function assign(
    tx: { to: `0x${string}`; data: Hex; gas: bigint },
    auth: string | null,
    fee: {
      maxFeePerGas: bigint;
      maxPriorityFeePerGas: bigint;
    },
    expected: number | null = null,
  ): Promise<TxRow> {
    const db = await getDb();
    if (nonceRowReady && expected !== null) {
      const row = await assignExpected(db, expected, tx, auth, fee);
      if (row) return row;
    }
    // First use in this process: start from the chain. The count is read before the lock (no
    // network inside it), so by the time the lock is held another instance may have handed out
    // and even mined more nonces: it may only move the counter forward (sends from outside Kiosk).
    const onChain = nonceRowReady ? null : await chainNonce("pending");
    if (onChain !== null) {
      await db
        .insert(relayerNonces)
        .values({ ...key, nextNonce: onChain })
        .onConflictDoNothing();
      await rewindAfterChainReset(db, onChain);
    }
    const row = await db.transaction(async (t) => {
      const lock = await lockNonces(t);
      if (!lock) throw new Error("relayer nonce row missing");
      let nonce = lock.nextNonce;
      if (onChain !== null && onChain > nonce) nonce = onChain;
      const signed = await sign({ nonce, to: tx.to, data: tx.data, gas: tx.gas, ...fee });
      const [inserted] = await t
        .insert(relayerTransactions)
        .values(pendingRow(nonce, tx, auth, signed, fee))
        .returning();
      await t
        .update(relayerNonces)
        .set({ nextNonce: nonce + 1, updatedAt: new Date() })
        .where(nonceRow);
      return inserted!;
    });
    nonceRowReady = true;
    lastNext = row.nonce + 1;
    return row;
  }

  /**
   * A send the node refused outright left nothing behind: give the nonce back if it is still
   * the last one handed out; otherwise the row becomes a no-op to ourselves that fills the gap.
   */
  async function release(row: TxRow): Promise<void> {
    lastNext = null;
    const db = await getDb();
    const filler = await db.transaction(async (t) => {
      const lock = await lockNonces(t);
      if (lock?.nextNonce === row.nonce + 1) {
        await t.delete(relayerTransactions).where(eq(relayerTransactions.id, row.id));
        await t.update(relayerNonces).set({ nextNonce: row.nonce, updatedAt: new Date() }).where(nonceRow);
        return null;
      }
      return fillGap(t as unknown as Db, row);
    });
    if (filler) await broadcast(filler.raw as Hex, filler.hash as Hex);
  }

  /** Turns a never-sent row into a 0-value transfer to ourselves, so later nonces can be mined. */
  async function fillGap(t: Db, row: TxRow): Promise<TxRow> {
    const base = fees?.base ?? 1_000_000_000n;
    const fee = feesFor(base) ?? { maxFeePerGas: maxFee, maxPriorityFeePerGas: PRIORITY_FEE };
    const signed = await sign({ nonce: row.nonce, to: address, data: "0x", gas: 21_000n, ...fee });
    const [filled] = await t
      .update(relayerTransactions)
      .set({
        to: address.toLowerCase(),
        data: "0x",
        gas: 21_000n,
        authorization: null,
        hash: signed.hash,
        hashes: [...row.hashes, signed.hash],
        raw: signed.raw,
        ...fee,
        updatedAt: new Date(),
      })
      .where(eq(relayerTransactions.id, row.id))
      .returning();
    return filled!;
  }

  async function sendSerially(tx: { to: `0x${string}`; data: Hex; gas?: bigint }): Promise<Hex> {
    try {
      return await sendOnce(tx);
    } catch (error) {
      if (error instanceof RelayerError) throw error;
      // The database or the chain could not be asked before anything was sent: an outage.
      console.warn("[kiosk] relayer could not send:", fullMessage(error).slice(0, 300));
      const call = currentCall.getStore();
      if (call) call.readFailed = true;
      throw new RelayerError("rpc", `Could not send the settlement: ${shortMessage(error)}`);
    }
  }

  /**
   * What a send needs to know, in one read once the key's counter exists: the hash of an earlier
   * transaction carrying this authorization, when the oldest pending transaction was sent, and
   * the counter (the nonce a send will most likely get).
   */
  async function sendState(
    db: Db,
    auth: string | null,
  ): Promise<{ earlier: Hex | null; oldestPendingAt: Date | null; nextNonce: number } | null> {
    const t = relayerTransactions;
    const [row] = await db
      .select({
        nextNonce: relayerNonces.nextNonce,
        earlier: auth
          ? sql<
              string | null
            >`(select ${t.hash} from ${t} where ${and(mine(), eq(t.authorization, auth))} limit 1)`
          : sql<null>`null`,
        oldestPendingAt:
          sql<Date | null>`(select min(${t.createdAt}) from ${t} where ${and(mine(), eq(t.status, "pending"))})`.mapWith(
            t.createdAt,
          ),
      })
      .from(relayerNonces)
      .where(nonceRow);
    if (!row) return null;
    return {
      earlier: (row.earlier as Hex | null) ?? null,
      oldestPendingAt: row.oldestPendingAt,
      nextNonce: row.nextNonce,
    };
  }

  /**
   * The common case of a send in one statement, with no read before it: the nonce where this
   * process left the counter, nothing of this key pending for long (so not paused), and this
   * authorization never sent (its unique key refuses a second). Null when any of that does not
   * hold, or is not known: the full path reads the state and decides.
   */
  async function assignQuickly(
    db: Db,
    tx: { to: `0x${string}`; data: Hex; gas: bigint },
    auth: string | null,
  ): Promise<TxRow | null> {
    if (!nonceRowReady || lastNext === null || overCeiling) return null;
    const fee = feesFor(await baseFee());
    if (!fee) return null;
    try {
      return await assignExpected(db, lastNext, tx, auth, fee, new Date(Date.now() - WEDGED_MS));
    } catch (error) {
      // Sent before: the full path returns that transaction's hash.
      if (auth && /relayer_transactions_authorization_key/.test(fullMessage(error))) return null;
      throw error;
    }
  }

  async function sendOnce(tx: { to: `0x${string}`; data: Hex; gas?: bigint }): Promise<Hex> {
    const db = await getDb();
    const auth = authorizationOf(tx.data);
    const gas = tx.gas ?? SETTLEMENT_GAS;
    let quick = await assignQuickly(db, { to: tx.to, data: tx.data, gas }, auth);
    let state: Awaited<ReturnType<typeof sendState>> = null;
    if (!quick) {
      state = nonceRowReady ? await sendState(db, auth) : null;
      // One authorization, one transaction: a second send of it returns the first's hash.
      const earlier = state ? state.earlier : auth ? await sentHash(auth) : null;
      if (earlier) return earlier;
      // Nothing pending, or the oldest pending one recent (and priced under the ceiling): not
      // paused, known from the read above; anything else takes the full check.
      const clearlyMoving =
        state !== null &&
        (state.oldestPendingAt === null ||
          (!overCeiling && Date.now() - state.oldestPendingAt.getTime() < WEDGED_MS));
      if (state && state.oldestPendingAt === null) overCeiling = false;
      if (!clearlyMoving && (await paused())) {
        const call = currentCall.getStore();
        if (call) call.paused = true;
        throw new RelayerError("paused", "Payments are paused while the relayer's transactions catch up.");
      }
    }
    for (let attempt = 0; ; attempt++) {
      let row: TxRow;
      if (quick) {
        row = quick;
        quick = null;
      } else {
        const fee = feesFor(await baseFee());
        if (!fee) {
          overCeiling = true;
          const call = currentCall.getStore();
          if (call) call.paused = true;
          throw new RelayerError("paused", "Gas costs more than this relayer's ceiling right now.");
        }
        try {
          row = await assign(
            { to: tx.to, data: tx.data, gas },
            auth,
            fee,
            attempt === 0 ? (state?.nextNonce ?? null) : null,
          );
        } catch (error) {
          // Another process sent this authorization a moment ago (the unique key caught it): theirs stands.
          const earlier =
            auth && /relayer_transactions_authorization_key/.test(fullMessage(error))
              ? await sentHash(auth)
              : null;
          if (earlier) return earlier;
          throw error;
        }
      }
      const outcome = await broadcast(row.raw as Hex, row.hash as Hex);
      if (outcome === "accepted") {
        remember(justSent, row.hash, row);
        return row.hash as Hex;
      }
      if (outcome === "nonce-taken") {
        // Something else used this nonce: our bytes can never be mined. Skip past it and retry.
        await db
          .update(relayerTransactions)
          .set({ status: "superseded", authorization: null, updatedAt: new Date() })
          .where(eq(relayerTransactions.id, row.id));
        await resyncNonce();
      } else {
        await release(row);
        fees = null;
      }
      if (outcome === "unfunded") {
        const call = currentCall.getStore();
        if (call) call.unfunded = true;
        throw new RelayerError("unfunded", "The relayer account has no gas money left.");
      }
      if (typeof outcome === "object")
        throw new RelayerError("rpc", `Could not send the settlement: ${shortMessage(outcome.rejected)}`);
      if (attempt >= 1)
        throw new RelayerError("rpc", "Could not send the settlement: the node refused its nonce or fee.");
    }
  }

  async function sentHash(auth: string): Promise<Hex | null> {
    const db = await getDb();
    const [row] = await db
      .select({ hash: relayerTransactions.hash })
      .from(relayerTransactions)
      .where(and(mine(), eq(relayerTransactions.authorization, auth)))
      .limit(1);
    return (row?.hash as Hex | undefined) ?? null;
  }

  /** Moves the next nonce past whatever the chain already holds for this key. */
  async function resyncNonce(): Promise<void> {
    lastNext = null;
    const pending = await chainNonce("pending");
    const db = await getDb();
    await db
      .update(relayerNonces)
      .set({ nextNonce: sql`greatest(${relayerNonces.nextNonce}, ${pending})`, updatedAt: new Date() })
      .where(nonceRow);
  }

  function send(tx: { to: `0x${string}`; data: Hex; gas?: bigint }): Promise<Hex> {
    const call = currentCall.getStore();
    const run = () => (call ? currentCall.run(call, () => sendSerially(tx)) : sendSerially(tx));
    const result = queue.then(run);
    queue = result.catch(() => undefined);
    return result.then((hash) => {
      call?.sent.push(hash);
      return hash;
    });
  }

  async function oldestPending(): Promise<TxRow | null> {
    const db = await getDb();
    const [row] = await db
      .select()
      .from(relayerTransactions)
      .where(and(mine(), eq(relayerTransactions.status, "pending")))
      .orderBy(asc(relayerTransactions.nonce))
      .limit(1);
    return row ?? null;
  }

  /** True when a new settlement would only queue behind a transaction that is not moving. */
  async function paused(): Promise<boolean> {
    const oldest = await oldestPending();
    if (!oldest) {
      overCeiling = false;
      return false;
    }
    if (!overCeiling && Date.now() - oldest.createdAt.getTime() < WEDGED_MS) return false;
    await tend().catch(() => undefined);
    const still = await oldestPending();
    if (!still) return false;
    return overCeiling || Date.now() - still.createdAt.getTime() >= WEDGED_MS;
  }

  /** Marks what the chain has mined; rebroadcasts or replaces the transaction holding up the rest. */
  function tend(): Promise<void> {
    tending ??= tendOnce().finally(() => {
      tending = null;
    });
    return tending;
  }

  async function tendOnce(): Promise<void> {
    const db = await getDb();
    const latest = await chainNonce("latest");
    const pending = await db
      .select()
      .from(relayerTransactions)
      .where(and(mine(), eq(relayerTransactions.status, "pending")))
      .orderBy(asc(relayerTransactions.nonce));
    for (const row of pending) {
      if (row.nonce < latest) await settleRow(row);
    }
    const head = pending.find((r) => r.nonce === latest);
    if (!head) {
      overCeiling = false;
      return;
    }
    if (Date.now() - head.updatedAt.getTime() < STUCK_MS) return;
    const base = await publicClient
      .getBlock({ blockTag: "latest" })
      .then((b) => b.baseFeePerGas ?? 0n)
      .catch(() => null);
    if (base === null) return;
    if (head.maxFeePerGas >= base + head.maxPriorityFeePerGas / 2n && (await knownToNode(head.hash as Hex))) {
      // Priced to be mined and the node has it: nothing to do but wait (touch it to space out checks).
      overCeiling = false;
      await db
        .update(relayerTransactions)
        .set({ updatedAt: new Date() })
        .where(eq(relayerTransactions.id, head.id));
      return;
    }
    if (head.maxFeePerGas >= base + head.maxPriorityFeePerGas) {
      // Dropped by the node but still priced right: the same bytes again.
      overCeiling = false;
      await broadcast(head.raw as Hex, head.hash as Hex);
      await db
        .update(relayerTransactions)
        .set({ updatedAt: new Date() })
        .where(eq(relayerTransactions.id, head.id));
      return;
    }
    await replace(head, base);
  }

  /** The same nonce and calldata with fees at least 12.5 % higher, recorded on the same row. */
  async function replace(head: TxRow, base: bigint): Promise<void> {
    const bump = (v: bigint) => (v * BUMP_PER_MILLE) / 1_000n + 1n;
    const priority = bump(head.maxPriorityFeePerGas);
    let max = base * 2n + priority;
    if (max < bump(head.maxFeePerGas)) max = bump(head.maxFeePerGas);
    if (max > maxFee) max = maxFee;
    if (max < bump(head.maxFeePerGas) || max < base + priority) {
      overCeiling = true; // the fee it needs is above the ceiling: wait for the base fee to fall
      return;
    }
    overCeiling = false;
    const db = await getDb();
    const replaced = await db.transaction(async (t) => {
      const [row] = await t
        .select()
        .from(relayerTransactions)
        .where(eq(relayerTransactions.id, head.id))
        .for("update");
      if (!row || row.status !== "pending" || row.hash !== head.hash) return null; // someone else did it
      const signed = await sign({
        nonce: row.nonce,
        to: row.to,
        data: row.data,
        gas: row.gas,
        maxFeePerGas: max,
        maxPriorityFeePerGas: priority,
      });
      const [updated] = await t
        .update(relayerTransactions)
        .set({
          hash: signed.hash,
          hashes: [...row.hashes, signed.hash],
          raw: signed.raw,
          maxFeePerGas: max,
          maxPriorityFeePerGas: priority,
          updatedAt: new Date(),
        })
        .where(eq(relayerTransactions.id, row.id))
        .returning();
      return updated!;
    });
    if (replaced) await broadcast(replaced.raw as Hex, replaced.hash as Hex);
  }

  /** A row whose nonce the chain has passed: which of its hashes was mined, if any. */
  async function settleRow(row: TxRow): Promise<Hex | null> {
    for (const hash of [...row.hashes].reverse() as Hex[]) {
      const receipt = await publicClient.getTransactionReceipt({ hash }).catch(() => null);
      if (receipt) {
        await markMined(row.id, hash);
        return hash;
      }
    }
    const db = await getDb();
    await db
      .update(relayerTransactions)
      .set({ status: "superseded", updatedAt: new Date() })
      .where(eq(relayerTransactions.id, row.id));
    return null;
  }

  async function markMined(id: number, hash: Hex): Promise<void> {
    const db = await getDb();
    await db
      .update(relayerTransactions)
      .set({ status: "mined", minedHash: hash, updatedAt: new Date() })
      .where(eq(relayerTransactions.id, id));
  }

  async function rowFor(hash: Hex): Promise<TxRow | null> {
    const db = await getDb();
    const [row] = await db
      .select()
      .from(relayerTransactions)
      .where(and(mine(), sql`${relayerTransactions.hashes} @> ${JSON.stringify([hash])}::jsonb`))
      .limit(1);
    return row ?? null;
  }

  /**
   * The exact-EVM scheme simulates a settlement with a plain read, which a node runs at its call
   * gas cap: a wallet whose signature check depends on the gas left would pass it and then
   * revert on chain at the relayer's cost. Simulate as the transaction will run: from the
   * relayer, with the gas limit it is sent with. A revert throws, which the scheme reads as "no".
   */
  async function simulateSettlement(to: `0x${string}`, data: Hex): Promise<undefined> {
    await publicClient.call({ account: address, to, data, gas: SETTLEMENT_GAS });
    return undefined;
  }

  /**
   * The ERC-6492 path of the exact-EVM scheme simulates "deploy the payer through its factory,
   * then transfer" as one Multicall3 `tryAggregate` read at the node's call gas cap. Settlement
   * sends them as two transactions with their own gas limits, so simulate exactly that: both
   * calls from the relayer in one simulated block (eth_simulateV1), each with the limit it will
   * be sent with. A node without eth_simulateV1 throws, which the scheme reads as "no".
   */
  async function simulateDeployThenSettle(calls: readonly { target: `0x${string}`; callData: Hex }[]) {
    const [block] = await publicClient.simulateBlocks({
      blocks: [
        {
          calls: calls.map((c) => ({
            account: address,
            to: c.target,
            data: c.callData,
            gas: TRANSFER_WITH_AUTHORIZATION.has(c.callData.slice(0, 10).toLowerCase() as Hex)
              ? SETTLEMENT_GAS
              : WALLET_DEPLOYMENT_GAS,
          })),
        },
      ],
    });
    if (!block) throw new Error("the node simulated no block");
    return block.calls.map((c) => ({ success: c.status === "success", returnData: c.data }));
  }

  async function waitForTransactionReceipt({
    hash,
    timeout = receiptTimeout,
  }: {
    hash: Hex;
    timeout?: number;
  }) {
    const deadline = Date.now() + timeout;
    let delay = 10;
    let row = justSent.get(hash) ?? (await rowFor(hash));
    justSent.delete(hash);
    let tendedAt = Date.now();
    for (;;) {
      // The transaction may have been replaced (same nonce, same calldata): any of its hashes counts.
      const hashes = (row?.hashes as Hex[] | undefined) ?? [hash];
      for (const h of [...hashes].reverse()) {
        const receipt = await publicClient.getTransactionReceipt({ hash: h }).catch(() => null);
        if (receipt) {
          if (row) await markMined(row.id, h);
          remember(minedFor, hash, h);
          return { status: receipt.status, logs: receipt.logs as readonly Log[] };
        }
      }
      if (Date.now() + delay > deadline) throw new Error(`no receipt for ${hash} after ${timeout} ms`);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 500);
      if (Date.now() - tendedAt >= STUCK_MS) {
        tendedAt = Date.now();
        await tend().catch((error: unknown) =>
          console.warn("[kiosk] relayer check failed:", shortMessage(error)),
        );
        row = (await rowFor(hash)) ?? row;
      }
    }
  }

  return {
    address,
    publicClient,
    send,
    getAddresses: () => [address],
    async track(run, call = newRelayerCall()) {
      const value = await currentCall.run(call, run);
      return { value, call };
    },
    sentFor: async ({ from, nonce }) =>
      (await sentHash(`${from.toLowerCase()}|${nonce.toLowerCase()}`)) !== null,
    async minedHash(hash) {
      const known = minedFor.get(hash);
      if (known) {
        minedFor.delete(hash);
        return known;
      }
      const row = await rowFor(hash);
      return (row?.minedHash as Hex | null) ?? hash;
    },
    async relayerStatus() {
      const db = await getDb();
      const [counts] = await db
        .select({
          pending: sql<number>`count(*)::int`,
          oldest: sql<Date | null>`min(${relayerTransactions.createdAt})`,
        })
        .from(relayerTransactions)
        .where(and(mine(), eq(relayerTransactions.status, "pending")));
      const balanceWei = await publicClient.getBalance({ address }).catch(() => null);
      const oldest = counts?.oldest ? new Date(counts.oldest) : null;
      return {
        address,
        balanceWei,
        pending: counts?.pending ?? 0,
        oldestPendingMs: oldest ? Math.max(0, Date.now() - oldest.getTime()) : 0,
        paused: await paused(),
      };
    },
    readContract: (args) =>
      counted(() =>
        args.functionName === "tryAggregate" && carriesSettlement(args.args)
          ? simulateDeployThenSettle((args.args as [boolean, { target: `0x${string}`; callData: Hex }[]])[1])
          : args.functionName === "transferWithAuthorization"
            ? simulateSettlement(
                args.address,
                encodeFunctionData({
                  abi: args.abi as Abi,
                  functionName: args.functionName,
                  args: args.args as unknown[],
                }),
              )
            : publicClient.readContract({
                address: args.address,
                abi: args.abi as Abi,
                functionName: args.functionName,
                args: args.args as unknown[] | undefined,
              }),
      ),
    verifyTypedData: (args) =>
      publicClient.verifyTypedData({
        address: args.address,
        domain: args.domain as never,
        types: args.types as never,
        primaryType: args.primaryType as never,
        message: args.message as never,
        signature: args.signature,
      }),
    writeContract: (args) =>
      send({
        to: args.address,
        data: (encodeFunctionData({
          abi: args.abi as Abi,
          functionName: args.functionName,
          args: args.args as unknown[],
        }) + (args.dataSuffix ? args.dataSuffix.slice(2) : "")) as Hex,
        gas: args.gas,
      }),
    // The scheme sends a plain transaction only to deploy an ERC-6492 payer through an allowed
    // factory. Its code is then no longer empty: forget what was cached.
    sendTransaction: async (args) => {
      const hash = await send({ to: args.to, data: args.data, gas: WALLET_DEPLOYMENT_GAS });
      codeCache.clear();
      return hash;
    },
    waitForTransactionReceipt,
    getCode: async ({ address: at }) => {
      const k = at.toLowerCase();
      if (currentCall.getStore()?.signedLocally === k) return undefined;
      const hit = codeCache.get(k);
      if (hit && Date.now() - hit.at < CODE_TTL_MS) return hit.code;
      const code = await counted(() => publicClient.getCode({ address: at }));
      if (codeCache.size > 10_000) codeCache.clear();
      codeCache.set(k, { code, at: Date.now() });
      return code;
    },
  };
}

/** A Multicall3 batch (`tryAggregate(bool, (address, bytes)[])`) with a transferWithAuthorization in it. */
function carriesSettlement(args: readonly unknown[] | undefined): boolean {
  const calls = args?.[1];
  return (
    Array.isArray(calls) &&
    calls.some(
      (c: { callData?: unknown }) =>
        typeof c?.callData === "string" &&
        TRANSFER_WITH_AUTHORIZATION.has(c.callData.slice(0, 10).toLowerCase() as Hex),
    )
  );
}

function isTransportError(error: unknown): boolean {
  if (!(error instanceof BaseError)) return true;
  return Boolean(error.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError));
}

function fullMessage(error: unknown): string {
  if (error instanceof BaseError) {
    const parts: string[] = [];
    error.walk((e) => {
      parts.push((e as Error).message);
      return false;
    });
    return parts.join(" ");
  }
  return error instanceof Error ? error.message : String(error);
}

function shortMessage(error: unknown): string {
  const e = error as { shortMessage?: string; message?: string };
  return (e.shortMessage ?? e.message ?? String(error)).split("\n")[0] ?? "unknown error";
}
