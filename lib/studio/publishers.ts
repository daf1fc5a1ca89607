// Publisher profiles: one per wallet. The wallet that signs in is the account; the payout address
// (where readers' USDC goes) starts as the same wallet and can point elsewhere, e.g. a multisig.
// Moving it takes more than the session: a fresh signature by the account wallet over the new
// address (lib/studio/payout-message.ts), and every move is logged in payout_changes.
import "server-only";
import { and, desc, eq } from "drizzle-orm";
import type { Client } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { z } from "zod";
import { catalogChanged } from "../content/catalog-cache";
import type { Db } from "../db/client";
import type { Publisher } from "../db/queries";
import { payoutChanges, publishers } from "../db/schema";
import type { Env } from "../env";
import {
  PAYOUT_CONFIRMATION_SKEW_MS,
  PAYOUT_CONFIRMATION_TTL_MS,
  payoutChangeMessage,
} from "./payout-message";
import { conflict, invalid, isUniqueViolation, ok, refused, type Result } from "./results";
import { isSignedBy } from "./signature";
import { addressSchema, payoutAddressProblem, publisherNameSchema, type PayoutRules } from "./validation";

export const publisherCreateSchema = z.object({
  name: publisherNameSchema,
  /** Omitted or empty = the signed-in wallet. */
  payTo: z.union([z.literal(""), addressSchema]).optional(),
});
export type PublisherCreate = z.infer<typeof publisherCreateSchema>;

/** The account wallet's signature over payoutChangeMessage(…, issuedAt). */
export const payoutConfirmationSchema = z.object(
  {
    issuedAt: z
      .string({ required_error: "confirmation.issuedAt is required." })
      .max(40)
      .refine((s) => {
        const d = new Date(s);
        return !Number.isNaN(d.getTime()) && d.toISOString() === s;
      }, "confirmation.issuedAt must be an ISO 8601 time, as toISOString() writes it."),
    signature: z.string({ required_error: "confirmation.signature is required." }).max(20_000),
  },
  { invalid_type_error: "confirmation must be { issuedAt, signature }." },
);
export type PayoutConfirmation = z.infer<typeof payoutConfirmationSchema>;

export const publisherPatchSchema = z
  .object({ name: publisherNameSchema, payTo: addressSchema, confirmation: payoutConfirmationSchema })
  .partial()
  .refine((p) => p.name !== undefined || p.payTo !== undefined, "Nothing to change.");
export type PublisherPatch = z.infer<typeof publisherPatchSchema>;

/** What a payout change is checked against: the deployment's rules and the site that asks. */
export type PayoutContext = {
  rules: PayoutRules;
  domain: string;
  origin: string;
  chainId: number;
  /** For contract-wallet signatures; null = EOAs only. */
  chainClient: Client | null;
  now?: Date;
};

export type PayoutChange = {
  id: number;
  oldPayTo: string;
  newPayTo: string;
  signer: string;
  signedAt: Date;
  changedAt: Date;
};

export type StudioPublisher = { id: number; name: string; wallet: string; payTo: string };

export function toStudioPublisher(row: Publisher): StudioPublisher {
  return { id: row.id, name: row.name, wallet: row.wallet, payTo: row.payTo };
}

/** The addresses this deployment refuses as payout addresses (see payoutAddressProblem). */
export function payoutRules(e: Pick<Env, "network" | "facilitator">): PayoutRules {
  return {
    token: e.network.usdc,
    relayer:
      e.facilitator.kind === "in-process"
        ? privateKeyToAccount(e.facilitator.relayerPrivateKey).address
        : null,
  };
}

export async function publisherForWallet(db: Db, wallet: string): Promise<Publisher | null> {
  const [row] = await db
    .select()
    .from(publishers)
    .where(eq(publishers.wallet, wallet.toLowerCase()))
    .limit(1);
  return row ?? null;
}

export async function createPublisher(
  db: Db,
  wallet: string,
  input: PublisherCreate,
  rules: PayoutRules,
): Promise<Result<Publisher>> {
  const owner = wallet.toLowerCase();
  const payTo = input.payTo || owner;
  const problem = payoutAddressProblem(payTo, rules);
  if (problem) return invalid(problem);
  try {
    const [row] = await db
      .insert(publishers)
      .values({ wallet: owner, name: input.name, payTo })
      .onConflictDoNothing({ target: publishers.wallet })
      .returning();
    return row ? ok(row) : conflict("This wallet already has a publisher profile.");
  } catch (error) {
    if (isUniqueViolation(error)) return conflict("This wallet already has a publisher profile.");
    throw error;
  }
}

/**
 * Changes the signed-in publisher's own profile; a new payout address applies to new payments only.
 * A new payout address needs `patch.confirmation`, signed by the account wallet moments ago.
 */
export async function updatePublisher(
  db: Db,
  publisher: Publisher,
  patch: PublisherPatch,
  context: PayoutContext,
): Promise<Result<Publisher>> {
  const payTo = patch.payTo !== undefined && patch.payTo !== publisher.payTo ? patch.payTo : null;
  let signedAt: Date | null = null;
  if (payTo) {
    const problem = payoutAddressProblem(payTo, context.rules);
    if (problem) return invalid(problem);
    const confirmed = await checkPayoutConfirmation(db, publisher, payTo, patch.confirmation, context);
    if (confirmed.kind !== "ok") return confirmed;
    signedAt = confirmed.value;
  }
  try {
    const result = await db.transaction(async (tx): Promise<Result<Publisher>> => {
      const [row] = await tx
        .update(publishers)
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(payTo && { payTo }),
        })
        // The address that was confirmed against is still the current one (two tabs, two changes).
        .where(and(eq(publishers.id, publisher.id), eq(publishers.payTo, publisher.payTo)))
        .returning();
      if (!row) return conflict("The profile changed while it was being saved; reload and try again.");
      if (payTo && signedAt) {
        await tx.insert(payoutChanges).values({
          publisherId: publisher.id,
          oldPayTo: publisher.payTo,
          newPayTo: payTo,
          signer: publisher.wallet,
          signedAt,
        });
      }
      return ok(row);
    });
    // The payout address and name are part of every offer: this instance's 402s change at once.
    if (result.kind === "ok") catalogChanged(db);
    return result;
  } catch (error) {
    // The same confirmation sent twice at once: the log's unique key lets one through.
    if (isUniqueViolation(error)) return refused(USED);
    throw error;
  }
}

const USED = "That payout confirmation was already used; sign a new one.";

async function checkPayoutConfirmation(
  db: Db,
  publisher: Publisher,
  payTo: `0x${string}`,
  confirmation: PayoutConfirmation | undefined,
  context: PayoutContext,
): Promise<Result<Date>> {
  const account = publisher.wallet as `0x${string}`;
  if (!confirmation) {
    return refused(
      `Changing the payout address needs a fresh signature from your account wallet (${account}); confirm the change with your wallet in the studio.`,
    );
  }
  const now = (context.now ?? new Date()).getTime();
  const issuedAt = new Date(confirmation.issuedAt);
  if (issuedAt.getTime() < now - PAYOUT_CONFIRMATION_TTL_MS) {
    return refused("The payout confirmation has expired (it lasts 5 minutes); sign it again.");
  }
  if (issuedAt.getTime() > now + PAYOUT_CONFIRMATION_SKEW_MS) {
    return refused("The payout confirmation is dated in the future; check your device's clock.");
  }
  const message = payoutChangeMessage({
    domain: context.domain,
    origin: context.origin,
    chainId: context.chainId,
    publisherId: publisher.id,
    account,
    payTo,
    issuedAt: confirmation.issuedAt,
  });
  const signed = await isSignedBy({
    address: account,
    message,
    signature: confirmation.signature,
    chainClient: context.chainClient,
  });
  if (!signed) {
    return refused(
      `The payout confirmation is not a signature by your account wallet (${account}) for this change on this site.`,
    );
  }
  // A confirmation no newer than the last change has been used, or was overtaken by a later one.
  const [last] = await db
    .select({ signedAt: payoutChanges.signedAt })
    .from(payoutChanges)
    .where(eq(payoutChanges.publisherId, publisher.id))
    .orderBy(desc(payoutChanges.signedAt))
    .limit(1);
  if (last && issuedAt.getTime() <= last.signedAt.getTime()) return refused(USED);
  return ok(issuedAt);
}

/** The publisher's payout changes, newest first. */
export async function listPayoutChanges(db: Db, publisher: Publisher, limit = 50): Promise<PayoutChange[]> {
  return db
    .select({
      id: payoutChanges.id,
      oldPayTo: payoutChanges.oldPayTo,
      newPayTo: payoutChanges.newPayTo,
      signer: payoutChanges.signer,
      signedAt: payoutChanges.signedAt,
      changedAt: payoutChanges.changedAt,
    })
    .from(payoutChanges)
    .where(eq(payoutChanges.publisherId, publisher.id))
    .orderBy(desc(payoutChanges.changedAt), desc(payoutChanges.id))
    .limit(limit);
}
