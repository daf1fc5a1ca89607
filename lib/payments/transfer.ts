// The plain-transfer path: a reader sends an ordinary USDC `transfer` (EIP-681 URI, any wallet) of
// the amount a signed quote named, then claims it. A transaction hash is public, so a claim must
// be signed by the transfer's sender, for this site and recently; the hash is unique in the
// database, so it unlocks once. Checked with viem against the chain: receipt status, that it is
// not a gasless settlement, confirmations, the token's Transfer log, the recipient, the exact
// quoted amount and that the block falls inside the quote's validity.
// The text a claimant signs is in claim-message.ts, which the browser imports too.
import "server-only";
import {
  decodeEventLog,
  erc20Abi,
  getAddress,
  recoverMessageAddress,
  toEventSelector,
  type Hex,
  type PublicClient,
} from "viem";
import { isSignedBy } from "../studio/signature";

/** A claim signature is good for this long after its issued-at (and a minute of clock skew ahead). */
export const CLAIM_SIGNATURE_MAX_AGE_SECONDS = 600;
export const CLAIM_SIGNATURE_MAX_SKEW_SECONDS = 60;
/** A transfer mined this long before its quote was issued cannot be for that quote (clock skew). */
const BLOCK_TIME_SKEW_SECONDS = 120;

/** EIP-3009's AuthorizationUsed: a gasless settlement (or receiveWithAuthorization) emits it. */
const AUTHORIZATION_USED_TOPIC = toEventSelector("AuthorizationUsed(address,bytes32)");

export type TransferCheck =
  | { kind: "ok"; from: `0x${string}`; value: bigint; blockNumber: bigint }
  | { kind: "not-found" }
  | { kind: "pending"; confirmations: number; required: number }
  | {
      kind: "refused";
      reason:
        | "reverted"
        | "gasless-settlement"
        | "wrong-token"
        | "wrong-recipient"
        | "underpaid"
        | "not-quoted"
        | "not-sender"
        | "too-old";
      message: string;
    };

export async function checkTransfer(
  client: PublicClient,
  p: {
    txHash: Hex;
    signature: Hex;
    /** The text the claimant signed (claimMessage with this site's origin). */
    message: string;
    usdc: `0x${string}`;
    /** From the quote: the exact amount and recipient, and when the transfer had to be made. */
    payTo: `0x${string}`;
    amount: bigint;
    quoteIssuedAt: Date;
    quoteExpiresAt: Date;
    minConfirmations: number;
  },
): Promise<TransferCheck> {
  const receipt = await client.getTransactionReceipt({ hash: p.txHash }).catch((error: unknown) => {
    if (error instanceof Error && /could not be found|not found/i.test(error.message)) return null;
    throw error; // an outage, not an answer
  });
  if (!receipt) return { kind: "not-found" };
  if (receipt.status !== "success") {
    return { kind: "refused", reason: "reverted", message: "The transaction reverted; no USDC moved." };
  }
  // A gasless settlement already paid for what it authorised; whatever the database says about
  // its hash, it never pays a second time as a transfer.
  if (receipt.logs.some((l) => l.topics[0]?.toLowerCase() === AUTHORIZATION_USED_TOPIC)) {
    return {
      kind: "refused",
      reason: "gasless-settlement",
      message: "This transaction settled a gasless payment; it cannot be claimed as a transfer.",
    };
  }

  const transfers = receipt.logs.flatMap((log) => {
    try {
      const decoded = decodeEventLog({
        abi: erc20Abi,
        eventName: "Transfer",
        data: log.data,
        topics: log.topics,
      });
      return [{ token: getAddress(log.address), ...decoded.args }];
    } catch {
      return [];
    }
  });
  const usdc = getAddress(p.usdc);
  const payTo = getAddress(p.payTo);
  const ours = transfers.filter((t) => t.token === usdc);
  if (ours.length === 0) {
    return {
      kind: "refused",
      reason: "wrong-token",
      message: "The transaction moved no USDC (wrong token).",
    };
  }
  const claimant = await claimantAmong(client, p, ours);
  const fromClaimant = claimant ? ours.filter((t) => getAddress(t.from) === claimant) : [];
  if (!claimant || fromClaimant.length === 0) {
    return {
      kind: "refused",
      reason: "not-sender",
      message: "Only the wallet that sent this transfer can claim it, with a signature made for this site.",
    };
  }
  const toPublisher = fromClaimant.filter((t) => getAddress(t.to) === payTo);
  if (toPublisher.length === 0) {
    return {
      kind: "refused",
      reason: "wrong-recipient",
      message: "The transfer went to another address, not this publisher.",
    };
  }
  const paid = toPublisher.reduce((sum, t) => sum + t.value, 0n);
  if (paid < p.amount) {
    return {
      kind: "refused",
      reason: "underpaid",
      message: `The transfer paid ${paid} atomic units; the quote asks for exactly ${p.amount}.`,
    };
  }
  if (paid !== p.amount) {
    return {
      kind: "refused",
      reason: "not-quoted",
      message: `The transfer paid ${paid} atomic units, which matches no quote for this article (exactly ${p.amount} was asked).`,
    };
  }

  const latest = await client.getBlockNumber();
  const confirmations = Number(latest - receipt.blockNumber + 1n);
  if (confirmations < p.minConfirmations) {
    return { kind: "pending", confirmations, required: p.minConfirmations };
  }
  const block = await client.getBlock({ blockNumber: receipt.blockNumber });
  const minedAt = Number(block.timestamp);
  if (
    minedAt < p.quoteIssuedAt.getTime() / 1000 - BLOCK_TIME_SKEW_SECONDS ||
    minedAt > p.quoteExpiresAt.getTime() / 1000
  ) {
    return {
      kind: "refused",
      reason: "too-old",
      message: "The transfer was not made while this quote was valid; it cannot pay for this.",
    };
  }
  return { kind: "ok", from: claimant, value: paid, blockNumber: receipt.blockNumber };
}

/** A contract wallet's claim costs a chain call per sender asked; a transfer rarely has more than one. */
const MAX_CONTRACT_SENDERS = 3;

/**
 * Which sender of the token's transfers signed the claim. An EOA's signature recovers locally;
 * otherwise the signature can only be a contract wallet's (ERC-1271, or ERC-6492 wrapped), which
 * the chain checks for the senders that paid the publisher first, a few at most.
 */
async function claimantAmong(
  client: PublicClient,
  p: { signature: Hex; message: string; payTo: `0x${string}` },
  transfers: readonly { from: `0x${string}`; to: `0x${string}` }[],
): Promise<`0x${string}` | null> {
  const senders = [...new Set(transfers.map((t) => getAddress(t.from)))];
  try {
    const recovered = await recoverMessageAddress({ message: p.message, signature: p.signature });
    if (senders.includes(recovered)) return recovered;
  } catch {
    // not a 65-byte signature: maybe a contract wallet's
  }
  const payTo = getAddress(p.payTo);
  const paidPublisher = new Set(
    transfers.filter((t) => getAddress(t.to) === payTo).map((t) => getAddress(t.from)),
  );
  const candidates = [...senders].sort((a, b) => Number(paidPublisher.has(b)) - Number(paidPublisher.has(a)));
  for (const sender of candidates.slice(0, MAX_CONTRACT_SENDERS)) {
    // The chain is asked only about addresses whose code could sign: an EOA sender did not.
    const code = await client.getCode({ address: sender });
    if (!code || code === "0x") continue;
    if (
      await isSignedBy({ address: sender, message: p.message, signature: p.signature, chainClient: client })
    )
      return sender;
  }
  return null;
}
