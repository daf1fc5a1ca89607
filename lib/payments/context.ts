// What the paid paths need from their process: storage, the facilitator, the chain and the
// receipt secrets, built once per process (server.ts) or per test (testing.ts).
import type { PublicClient } from "viem";
import type { Db } from "../db/client";
import type { ReceiptSecrets } from "../verify";
import type { ChainConfig } from "../x402/requirements";
import type { Facilitator } from "./facilitator";

export type PaidContext = {
  db: Db;
  facilitator: Facilitator;
  chain: ChainConfig;
  chainClient: PublicClient;
  secrets: ReceiptSecrets;
  /** Origin used for `resource.url`, e.g. "https://kiosk.example". */
  origin: string;
  secureCookies: boolean;
  /** Proxies trusted to append the client's address to X-Forwarded-For (0: trust none). */
  trustedProxyHops?: number;
  /** How long a payment waits for another in-flight one of the same payer and resource. */
  busyWaitMs?: number;
  now?: () => Date;
};
