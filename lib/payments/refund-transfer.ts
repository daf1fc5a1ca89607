// Whether a transaction refunds a sale, read from the chain with viem. A refund revokes what a
// reader paid for, so it must be the publisher's money going back, not any transfer the publisher
// can point at: the token's Transfer logs in a successful transaction, from one of the publisher's
// addresses, to the sale's payer, adding up to at least the sale's amount, in a block after the
// sale's own transaction, with the confirmations this site asks of every transfer. The caller
// makes sure each transaction counts for one refund only (a unique key).
import "server-only";
import { decodeEventLog, erc20Abi, getAddress, type Hex, type PublicClient } from "viem";

export type RefundRefusal =
  | "reverted"
  | "wrong-token"
  | "wrong-sender"
  | "wrong-recipient"
  | "underpaid"
  | "before-sale";

export type RefundTransferCheck =
  | { kind: "ok"; from: `0x${string}`; value: bigint; blockNumber: bigint }
  | { kind: "not-found" }
  | { kind: "pending"; confirmations: number; required: number }
  | { kind: "refused"; reason: RefundRefusal; message: string };

/** Where the sale sits on chain: its transaction's position when known, else when it settled. */
export type SalePosition = { txHash: Hex | null; settledAt: Date };

export async function checkRefundTransfer(
  client: PublicClient,
  p: {
    txHash: Hex;
    usdc: `0x${string}`;
    /** The publisher's addresses the money may come from (payout addresses, the studio wallet). */
    senders: readonly `0x${string}`[];
    payer: `0x${string}`;
    amount: bigint;
    sale: SalePosition;
    minConfirmations: number;
  },
): Promise<RefundTransferCheck> {
  const receipt = await receiptOf(client, p.txHash);
  if (!receipt) return { kind: "not-found" };
  if (receipt.status !== "success") {
    return {
      kind: "refused",
      reason: "reverted",
      message: "The refund transaction reverted; no USDC moved.",
    };
  }
  const usdc = getAddress(p.usdc);
  const transfers = receipt.logs.flatMap((log) => {
    if (getAddress(log.address) !== usdc) return [];
    try {
      const { args } = decodeEventLog({
        abi: erc20Abi,
        eventName: "Transfer",
        data: log.data,
        topics: log.topics,
      });
      return [{ from: getAddress(args.from), to: getAddress(args.to), value: args.value }];
    } catch {
      return [];
    }
  });
  if (transfers.length === 0) {
    return {
      kind: "refused",
      reason: "wrong-token",
      message: "The transaction moved no USDC (wrong token).",
    };
  }
  const senders = new Set(p.senders.map((s) => getAddress(s)));
  const fromPublisher = transfers.filter((t) => senders.has(t.from));
  if (fromPublisher.length === 0) {
    return {
      kind: "refused",
      reason: "wrong-sender",
      message: "The transfer was not sent from your payout address or your studio wallet.",
    };
  }
  const payer = getAddress(p.payer);
  const toPayer = fromPublisher.filter((t) => t.to === payer);
  if (toPayer.length === 0) {
    return {
      kind: "refused",
      reason: "wrong-recipient",
      message: `The transfer went to another address, not the wallet that paid (${payer}).`,
    };
  }
  const value = toPayer.reduce((sum, t) => sum + t.value, 0n);
  if (value < p.amount) {
    return {
      kind: "refused",
      reason: "underpaid",
      message: `The transfer sent ${value} atomic units back; the sale was ${p.amount}. A refund returns the whole amount.`,
    };
  }
  if (!(await minedAfterSale(client, receipt, p.sale))) {
    return {
      kind: "refused",
      reason: "before-sale",
      message: "The transfer was made before this sale, so it cannot refund it.",
    };
  }
  const latest = await client.getBlockNumber();
  const confirmations = Number(latest - receipt.blockNumber + 1n);
  if (confirmations < p.minConfirmations) {
    return { kind: "pending", confirmations, required: p.minConfirmations };
  }
  const from = toPayer[0]!.from;
  return { kind: "ok", from, value, blockNumber: receipt.blockNumber };
}

type Receipt = Awaited<ReturnType<PublicClient["getTransactionReceipt"]>>;

async function receiptOf(client: PublicClient, hash: Hex): Promise<Receipt | null> {
  return client.getTransactionReceipt({ hash }).catch((error: unknown) => {
    if (error instanceof Error && /could not be found|not found/i.test(error.message)) return null;
    throw error; // an outage, not an answer
  });
}

/**
 * After the sale's transaction in chain order (a later block, or later in the same block); for a
 * sale whose transaction was never learned, a block stamped after it settled.
 */
async function minedAfterSale(client: PublicClient, refund: Receipt, sale: SalePosition): Promise<boolean> {
  const saleReceipt = sale.txHash ? await receiptOf(client, sale.txHash) : null;
  if (saleReceipt) {
    if (refund.blockNumber !== saleReceipt.blockNumber) return refund.blockNumber > saleReceipt.blockNumber;
    return refund.transactionIndex > saleReceipt.transactionIndex;
  }
  const block = await client.getBlock({ blockNumber: refund.blockNumber });
  return Number(block.timestamp) >= Math.floor(sale.settledAt.getTime() / 1000);
}
