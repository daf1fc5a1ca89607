// What the article page hands the paywall, once, as serializable props. The server decides all of
// it per request (chain, price, paths); the browser never reads configuration of its own.
import type { WalletChainConfig } from "@/lib/wallet-chain-config";

export type PaywallProps = {
  chainConfig: WalletChainConfig;
  /** The article's paid API route, e.g. "/api/articles/deep-sea". */
  apiPath: string;
  /** The catalog key the transfer claim signs over, e.g. "article:deep-sea". */
  resourceKey: string;
  /** What the page shows: atomic units as a decimal string, and "$0.05". */
  price: { amount: string; display: string };
  /** "read for 30 days" */
  access: string;
  /** "https://basescan.org/tx/"; null where the chain has no explorer (the local anvil). */
  explorerTxUrl: string | null;
};

/** The article route's first answer, fetched on click while the wallet code downloads. */
export type FirstAnswer = Promise<Response | null>;

/** What the lazily loaded paywall receives: the page's props and the answer already on its way. */
export type PaywallFlowProps = PaywallProps & { firstAnswer: FirstAnswer };

/** Performance marks: the paywall's code starts downloading (on intent or in view), and is in. */
export const PREFETCH_MARK = { started: "kiosk:paywall-prefetch", loaded: "kiosk:paywall-loaded" } as const;

/** Marks on the way from Confirm to the body, for the unlock benchmark and a performance panel. */
export const UNLOCK_MARKS = {
  /** The wallet returned the signature. */
  signed: "kiosk:unlock-signed",
  /** The paid request's answer arrived (settled on chain, receipt cookie set). */
  answered: "kiosk:unlock-answered",
} as const;
