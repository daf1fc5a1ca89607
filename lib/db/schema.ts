// Kiosk's tables. Money is atomic units in `bigint` columns (USDC has 6 decimals; int8 holds
// 9.2e18 atomic units, far beyond any price); addresses are stored lowercase.

import { sql } from "drizzle-orm";
import type { BodyTree } from "../content/markdown";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

export const publishers = pgTable("publishers", {
  id: serial("id").primaryKey(),
  /** The wallet that signs in to the studio (lowercase). */
  wallet: text("wallet").notNull().unique(),
  name: text("name").notNull(),
  /** Where buyers' USDC goes (lowercase); defaults to the wallet. */
  payTo: text("pay_to").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const articles = pgTable(
  "articles",
  {
    id: serial("id").primaryKey(),
    publisherId: integer("publisher_id")
      .notNull()
      .references(() => publishers.id),
    slug: text("slug").notNull().unique(),
    title: text("title").notNull(),
    teaser: text("teaser").notNull(),
    /** Markdown; never sent to a reader without a receipt unless the price is 0. */
    body: text("body").notNull(),
    /**
     * The body parsed once, when saved: the sanitized hast tree pages render (lib/content/markdown.ts).
     * As secret as the body. null only for rows written before the column, until openDb fills them.
     */
    bodyTree: jsonb("body_tree").$type<BodyTree>(),
    priceAtomic: bigint("price_atomic", { mode: "bigint" }).notNull(),
    /**
     * A promotional price for a time (a launch week, a sale): charged from promoStartsAt up to, not
     * including, promoEndsAt. All three are set or none; the studio refuses anything else.
     */
    promoPriceAtomic: bigint("promo_price_atomic", { mode: "bigint" }),
    promoStartsAt: timestamp("promo_starts_at", { withTimezone: true }),
    promoEndsAt: timestamp("promo_ends_at", { withTimezone: true }),
    /** null = forever. */
    accessWindowSeconds: integer("access_window_seconds"),
    published: boolean("published").notNull().default(false),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("articles_publisher_idx").on(t.publisherId)],
);

export const dataEndpoints = pgTable("data_endpoints", {
  id: serial("id").primaryKey(),
  publisherId: integer("publisher_id")
    .notNull()
    .references(() => publishers.id),
  /** The part after /api/data/, e.g. "markets/usdc-volume.json". */
  path: text("path").notNull().unique(),
  name: text("name").notNull(),
  description: text("description").notNull(),
  contentType: text("content_type").notNull(),
  content: text("content").notNull(),
  priceAtomic: bigint("price_atomic", { mode: "bigint" }).notNull(),
  /** A promotional price for a time, as on articles. */
  promoPriceAtomic: bigint("promo_price_atomic", { mode: "bigint" }),
  promoStartsAt: timestamp("promo_starts_at", { withTimezone: true }),
  promoEndsAt: timestamp("promo_ends_at", { withTimezone: true }),
  /** null = each request is paid for (no receipt reuse); a number = a receipt lasts that long. */
  accessWindowSeconds: integer("access_window_seconds"),
  published: boolean("published").notNull().default(true),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One row per payment attempt that got past decoding. The unique key on
 * (network, asset, payer, nonce) is what makes a payment settle at most once: the row is
 * inserted *before* verification, so a replay or a concurrent duplicate loses the insert.
 */
export const payments = pgTable(
  "payments",
  {
    id: serial("id").primaryKey(),
    /** "authorization" = EIP-3009 via facilitator; "transfer" = a plain USDC transfer claimed by hash. */
    method: text("method", { enum: ["authorization", "transfer"] }).notNull(),
    network: text("network").notNull(),
    asset: text("asset").notNull(),
    payer: text("payer").notNull(),
    payTo: text("pay_to").notNull(),
    /** EIP-3009 nonce (authorization method). */
    nonce: text("nonce"),
    /** Settlement or transfer transaction hash. */
    txHash: text("tx_hash"),
    amountAtomic: bigint("amount_atomic", { mode: "bigint" }).notNull(),
    /** Resource key, e.g. "article:deep-sea" or "data:markets/usdc-volume.json". */
    resource: text("resource").notNull(),
    /**
     * reserved → settling → settled | failed. "proof": a never-settled authorization shown to prove
     * the wallet for a purchase it already holds; single use, never reserved again, never sent.
     */
    status: text("status", { enum: ["reserved", "settling", "settled", "failed", "proof"] }).notNull(),
    errorReason: text("error_reason"),
    /** How the payment came in: a browser page or an agent/HTTP client. */
    channel: text("channel", { enum: ["browser", "agent"] })
      .notNull()
      .default("agent"),
    x402Version: integer("x402_version").notNull().default(2),
    /**
     * "<payer>|<resource>" while a payment that grants lasting access is in flight, else null. A
     * partial unique index on it lets only one such payment per payer and resource run at a time,
     * so two different payments for one article from one wallet never both settle.
     */
    lockKey: text("lock_key"),
    /**
     * The client's x402 `payment-identifier` (extension), when it sent one. A retry that carries it
     * may receive the content of a settled payment once, if that payment's 200 was never sent.
     */
    clientPaymentId: text("client_payment_id"),
    /** When the paid content was answered (200). Null for a payment settled by reconciliation. */
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    /**
     * Until when one sweeper has this unfinished payment to itself: sweeps claim rows with
     * FOR UPDATE SKIP LOCKED and set this, so concurrent sweeps (cron, instances) split the work.
     */
    reconcileLeaseUntil: timestamp("reconcile_lease_until", { withTimezone: true }),
    /**
     * A transfer claimed by a wallet that already held the item: the money arrived, nothing was
     * granted, and it is owed back (the studio's sales list it for a refund).
     */
    refundDue: boolean("refund_due").notNull().default(false),
    /** The decoded payment payload and requirements, kept so a crashed settlement can be reconciled. */
    payload: jsonb("payload"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    settledAt: timestamp("settled_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("payments_authorization_key").on(t.network, t.asset, t.payer, t.nonce),
    uniqueIndex("payments_tx_hash_key").on(t.network, t.txHash),
    uniqueIndex("payments_in_flight_key")
      .on(t.lockKey)
      .where(sql`${t.status} in ('reserved', 'settling')`),
    index("payments_resource_idx").on(t.resource),
    index("payments_status_idx").on(t.status),
  ],
);

/** What a payer may read and until when; written in the same transaction that marks a payment settled. */
export const entitlements = pgTable(
  "entitlements",
  {
    id: serial("id").primaryKey(),
    payer: text("payer").notNull(),
    resource: text("resource").notNull(),
    paymentId: integer("payment_id")
      .notNull()
      .references(() => payments.id),
    amountAtomic: bigint("amount_atomic", { mode: "bigint" }).notNull(),
    /** null = forever. */
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    /**
     * Set when the purchase was refunded (lib/payments/refunds.ts): the entitlement opens nothing
     * from then on, and receipts issued for it are refused (lib/payments/revocations.ts).
     */
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("entitlements_payment_key").on(t.paymentId),
    index("entitlements_payer_resource_idx").on(t.payer, t.resource),
    index("entitlements_revoked_idx")
      .on(t.revokedAt)
      .where(sql`${t.revokedAt} is not null`),
  ],
);

/**
 * A publisher's refund of one sale: a token transfer from the publisher back to the payer, found
 * on chain before anything is revoked. One refund per sale and one sale per transaction (the two
 * unique keys), so pressing the button twice records one refund and a transaction can never be
 * pointed at for a second sale. "pending" while the transaction is unknown to the chain or not yet
 * confirmed; "confirmed" once checked, in the same transaction that revokes the entitlement.
 */
export const refunds = pgTable(
  "refunds",
  {
    id: serial("id").primaryKey(),
    paymentId: integer("payment_id")
      .notNull()
      .references(() => payments.id),
    publisherId: integer("publisher_id")
      .notNull()
      .references(() => publishers.id),
    network: text("network").notNull(),
    /** The refund transaction (lowercase). */
    txHash: text("tx_hash").notNull(),
    status: text("status", { enum: ["pending", "confirmed"] }).notNull(),
    /** The sale's amount: what the reports count as refunded (a larger transfer counts no more). */
    amountAtomic: bigint("amount_atomic", { mode: "bigint" }).notNull(),
    /** What the transfer carried to the payer, and from which address; set when confirmed. */
    transferredAtomic: bigint("transferred_atomic", { mode: "bigint" }),
    sender: text("sender"),
    blockNumber: bigint("block_number", { mode: "bigint" }),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull().defaultNow(),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("refunds_payment_key").on(t.paymentId),
    uniqueIndex("refunds_tx_key").on(t.network, t.txHash),
    index("refunds_publisher_idx").on(t.publisherId),
  ],
);

/**
 * Per-resource, per-day counters for the publisher's funnel (402s shown, re-reads with a receipt).
 * Counted in memory and flushed in batches, so an unpaid 402 never waits on a database write.
 */
export const resourceStats = pgTable(
  "resource_stats",
  {
    resource: text("resource").notNull(),
    day: text("day").notNull(), // YYYY-MM-DD, UTC
    shown402: integer("shown_402").notNull().default(0),
    receiptReads: integer("receipt_reads").notNull().default(0),
  },
  (t) => [uniqueIndex("resource_stats_key").on(t.resource, t.day)],
);

/**
 * One row (id 1): a counter that moves forward on every statement that writes to the catalogue
 * (articles, data endpoints, publishers), by triggers on those tables, so no writer can forget it
 * (the studio, the seed, a migration, an operator's SQL). Each instance caches the catalogue
 * (lib/content/catalog-cache.ts) and re-reads this counter at most every few seconds: a changed
 * number drops its cache.
 */
export const catalogVersion = pgTable("catalog_version", {
  id: integer("id").primaryKey(),
  version: bigint("version", { mode: "number" }).notNull().default(0),
});

/** Single-use Sign-In with Ethereum nonces for the studio. */
export const signinNonces = pgTable("signin_nonces", {
  nonce: text("nonce").primaryKey(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }),
});

/**
 * Sign-in-with-x nonces that unlocked something, each once. The challenge a 402 carries is
 * stateless (an HMAC), so nothing is written until a signed answer is used; its unique key is what
 * makes a replayed SIGN-IN-WITH-X header fail. Rows past `expires_at` (the challenge's own end)
 * can never be answered again and are deleted in passing.
 */
export const siwxNonces = pgTable(
  "siwx_nonces",
  {
    nonce: text("nonce").primaryKey(),
    wallet: text("wallet").notNull(),
    resource: text("resource").notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("siwx_nonces_expires_idx").on(t.expiresAt)],
);

/**
 * Rate-limit counters shared by every instance: one row per key and fixed time bucket, bumped with
 * an UPSERT. Rows past `expires_at` are only history and are deleted in passing.
 */
export const rateCounters = pgTable(
  "rate_counters",
  {
    key: text("key").notNull(),
    bucket: bigint("bucket", { mode: "number" }).notNull(), // floor(epoch ms / window)
    count: integer("count").notNull().default(0),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.bucket] }), index("rate_counters_expires_idx").on(t.expiresAt)],
);

/**
 * Studio sessions, one row per sign-in; the session token (a JWT) carries the row's id. Signing
 * out revokes the row, so a copied token stops working at once instead of at its expiry.
 */
export const studioSessions = pgTable(
  "studio_sessions",
  {
    /** Random, 128 bits, base64url; the token's `jti`. */
    id: text("id").primaryKey(),
    wallet: text("wallet").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("studio_sessions_expires_idx").on(t.expiresAt)],
);

/**
 * Every change of a publisher's payout address, with the wallet that signed for it. Shown in the
 * studio, so a change the publisher did not make is visible (and when, and to where).
 */
export const payoutChanges = pgTable(
  "payout_changes",
  {
    id: serial("id").primaryKey(),
    publisherId: integer("publisher_id")
      .notNull()
      .references(() => publishers.id),
    oldPayTo: text("old_pay_to").notNull(),
    newPayTo: text("new_pay_to").notNull(),
    /** The account wallet whose signature confirmed the change (lowercase). */
    signer: text("signer").notNull(),
    /** The confirmation's issued-at; one confirmation confirms one change. */
    signedAt: timestamp("signed_at", { withTimezone: true }).notNull(),
    changedAt: timestamp("changed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("payout_changes_confirmation_key").on(t.publisherId, t.signedAt)],
);

/**
 * Per relayer key and chain, the next nonce to hand out. Its row is locked FOR UPDATE only while
 * a nonce is assigned and the signed transaction recorded (milliseconds, never across a network
 * call), so every process on one key takes nonces from one sequence.
 */
export const relayerNonces = pgTable(
  "relayer_nonces",
  {
    /** The relayer's address (lowercase). */
    relayer: text("relayer").notNull(),
    chainId: integer("chain_id").notNull(),
    nextNonce: integer("next_nonce").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.relayer, t.chainId] })],
);

/**
 * Every transaction the relayer signed, one row per nonce. A replacement (same nonce, same
 * calldata, higher fees) updates its row and appends its hash; a nonce never carries anything
 * else, except a 0-value transfer to the relayer itself that fills the gap a refused send left.
 */
export const relayerTransactions = pgTable(
  "relayer_transactions",
  {
    id: serial("id").primaryKey(),
    relayer: text("relayer").notNull(),
    chainId: integer("chain_id").notNull(),
    nonce: integer("nonce").notNull(),
    to: text("to").notNull(),
    data: text("data").notNull(),
    gas: bigint("gas", { mode: "bigint" }).notNull(),
    /** `from|nonce` of the EIP-3009 authorization the calldata carries (lowercase), if any. */
    authorization: text("authorization"),
    /** The latest signed version's hash and bytes (what a rebroadcast sends). */
    hash: text("hash").notNull(),
    raw: text("raw").notNull(),
    /** Every hash broadcast for this nonce, oldest first. */
    hashes: jsonb("hashes").$type<string[]>().notNull(),
    maxFeePerGas: bigint("max_fee_per_gas", { mode: "bigint" }).notNull(),
    maxPriorityFeePerGas: bigint("max_priority_fee_per_gas", { mode: "bigint" }).notNull(),
    /** pending → mined (one of its hashes) | superseded (the nonce was used by a transaction not ours). */
    status: text("status", { enum: ["pending", "mined", "superseded"] }).notNull(),
    minedHash: text("mined_hash"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** Last sent, replaced or checked. */
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("relayer_transactions_nonce_key").on(t.relayer, t.chainId, t.nonce),
    uniqueIndex("relayer_transactions_authorization_key").on(t.relayer, t.chainId, t.authorization),
    index("relayer_transactions_status_idx").on(t.relayer, t.chainId, t.status),
  ],
);

export const schema = {
  publishers,
  articles,
  dataEndpoints,
  payments,
  entitlements,
  refunds,
  resourceStats,
  catalogVersion,
  signinNonces,
  siwxNonces,
  rateCounters,
  studioSessions,
  payoutChanges,
  relayerNonces,
  relayerTransactions,
};
