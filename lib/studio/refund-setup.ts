// What the studio's sales pages hand the Refund buttons: the browser wallet's chain, the token a
// refund is paid in, and the publisher's addresses a refund may come from (the server checks the
// same on chain; the button only warns early about a wrong wallet).
import "server-only";
import type { Publisher } from "../db/queries";
import { env } from "../env";
import { walletChainConfig } from "../wallet-chain-config";

export function refundSetup(publisher: Publisher) {
  return {
    chainConfig: walletChainConfig(),
    usdc: env().network.usdc,
    senders: [...new Set([publisher.payTo, publisher.wallet])],
  };
}
