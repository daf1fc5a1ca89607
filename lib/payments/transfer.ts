// The plain-transfer path: a reader sends an ordinary USDC `transfer` (EIP-681 URI, any wallet),
// then claims it. A transaction hash is public, so a claim must be signed by the transfer's
// sender; the hash is unique in the database, so it unlocks once. Checked with viem against the
// chain: receipt status, confirmations, the token's Transfer log, the recipient, the amount and
// the block's age.
import {
  decodeEventLog,
  erc20Abi,
  getAddress,
  recoverMessageAddress,
  type Hex,
  type PublicClient,
} from "viem";

/** A transfer older than this cannot pay for something now (it was meant for something else). */
export const QUOTE_VALIDITY_SECONDS = 3_600;

/** The exact text a claimant signs (EIP-191 personal_sign): binds the hash to one resource and chain. */
export function claimMessage(p: { resource: string; txHash: string; chainId: number }): string {
  return `Kiosk transfer claim\nresource: ${p.resource}\ntransaction: ${p.txHash.toLowerCase()}\nchain: ${p.chainId}`;
}

export type TransferCheck =
  | { kind: "ok"; from: `0x${string}`; value: bigint; blockNumber: bigint }
  | { kind: "not-found" }
  | { kind: "pending"; confirmations: number; required: number }
  | {
      kind: "refused";
      reason: "reverted" | "wrong-token" | "wrong-recipient" | "underpaid" | "not-sender" | "too-old";
      message: string;
    };

export async function checkTransfer(
  client: PublicClient,
  p: {
    txHash: Hex;
    signature: Hex;
    resource: string;
    chainId: number;
    usdc: `0x${string}`;
    payTo: `0x${string}`;
    price: bigint;
    minConfirmations: number;
    now?: Date;
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

  let claimant: `0x${string}`;
  try {
    claimant = await recoverMessageAddress({
      message: claimMessage({ resource: p.resource, txHash: p.txHash, chainId: p.chainId }),
      signature: p.signature,
    });
  } catch {
    return { kind: "refused", reason: "not-sender", message: "The claim signature is not valid." };
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
  const fromClaimant = ours.filter((t) => getAddress(t.from) === claimant);
  if (fromClaimant.length === 0) {
    return {
      kind: "refused",
      reason: "not-sender",
      message: "Only the wallet that sent this transfer can claim it.",
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
  if (paid < p.price) {
    return {
      kind: "refused",
      reason: "underpaid",
      message: `The transfer paid ${paid} atomic units; the price is ${p.price}.`,
    };
  }

  const latest = await client.getBlockNumber();
  const confirmations = Number(latest - receipt.blockNumber + 1n);
  if (confirmations < p.minConfirmations) {
    return { kind: "pending", confirmations, required: p.minConfirmations };
  }
  const block = await client.getBlock({ blockNumber: receipt.blockNumber });
  const ageSeconds = Math.floor((p.now ?? new Date()).getTime() / 1000) - Number(block.timestamp);
  if (ageSeconds > QUOTE_VALIDITY_SECONDS) {
    return {
      kind: "refused",
      reason: "too-old",
      message: "The transfer is older than the price quote allows; it cannot pay for this now.",
    };
  }
  return { kind: "ok", from: claimant, value: paid, blockNumber: receipt.blockNumber };
}
