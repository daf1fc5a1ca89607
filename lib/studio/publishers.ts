// Publisher profiles: one per wallet. The wallet that signs in is the account; the payout address
// (where readers' USDC goes) starts as the same wallet and can point elsewhere, e.g. a multisig.
import { eq } from "drizzle-orm";
import { privateKeyToAccount } from "viem/accounts";
import { z } from "zod";
import type { Db } from "../db/client";
import type { Publisher } from "../db/queries";
import { publishers } from "../db/schema";
import type { Env } from "../env";
import { conflict, invalid, isUniqueViolation, ok, type Result } from "./results";
import { addressSchema, payoutAddressProblem, publisherNameSchema, type PayoutRules } from "./validation";

export const publisherCreateSchema = z.object({
  name: publisherNameSchema,
  /** Omitted or empty = the signed-in wallet. */
  payTo: z.union([z.literal(""), addressSchema]).optional(),
});
export type PublisherCreate = z.infer<typeof publisherCreateSchema>;

export const publisherPatchSchema = z
  .object({ name: publisherNameSchema, payTo: addressSchema })
  .partial()
  .refine((p) => p.name !== undefined || p.payTo !== undefined, "Nothing to change.");
export type PublisherPatch = z.infer<typeof publisherPatchSchema>;

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

/** Changes the signed-in publisher's own profile; a new payout address applies to new payments only. */
export async function updatePublisher(
  db: Db,
  publisher: Publisher,
  patch: PublisherPatch,
  rules: PayoutRules,
): Promise<Result<Publisher>> {
  const problem = patch.payTo !== undefined && payoutAddressProblem(patch.payTo, rules);
  if (problem) return invalid(problem);
  const [row] = await db
    .update(publishers)
    .set({
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.payTo !== undefined && { payTo: patch.payTo }),
    })
    .where(eq(publishers.id, publisher.id))
    .returning();
  return row ? ok(row) : conflict("The profile disappeared while it was being saved.");
}
