// A read-only chain client for SIWE signatures from smart-contract wallets (EOAs never need it).
import "server-only";
import { createPublicClient, http, type PublicClient } from "viem";
import { env } from "../env";

const globalForStudio = globalThis as unknown as { kioskStudioChain?: PublicClient };

export function studioChainClient(): PublicClient {
  globalForStudio.kioskStudioChain ??= createPublicClient({
    transport: http(env().network.rpcUrl, { timeout: 5_000, retryCount: 0 }),
  }) as PublicClient;
  return globalForStudio.kioskStudioChain;
}
