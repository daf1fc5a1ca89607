// "Did this account sign this text?" for the studio's EIP-191 messages (sign-in, payout changes).
// An EOA is checked by ECDSA recovery, with no chain call; only a signature that does not recover
// (a smart-contract wallet: ERC-1271, or ERC-6492 before deployment) is put to the chain, and only
// when a chain client is given.
import { isHex, verifyMessage, type Client } from "viem";
import { verifyMessage as verifyMessageOnChain } from "viem/actions";

export async function isSignedBy(input: {
  address: `0x${string}`;
  message: string;
  signature: string;
  chainClient: Client | null;
}): Promise<boolean> {
  const { address, message, signature, chainClient } = input;
  if (!isHex(signature) || signature.length < 132 || signature.length > 20_000) return false;
  try {
    if (await verifyMessage({ address, message, signature })) return true;
  } catch {
    // not a 65-byte signature: maybe a smart-contract wallet's
  }
  if (!chainClient) return false;
  try {
    return await verifyMessageOnChain(chainClient, { address, message, signature });
  } catch (error) {
    console.warn(
      "[kiosk] could not ask the chain about a contract signature:",
      error instanceof Error ? error.message : error,
    );
    return false;
  }
}
