// What a signed EIP-3009 authorization proves, decided locally: no chain call, no facilitator.
// An EOA's signature recovers to its signer in about a millisecond, which lets Kiosk tell a real
// payer from junk that merely names someone's wallet as `from` before any state is touched.
// Contract wallets (ERC-1271, or ERC-6492 for undeployed ones) cannot be checked without the
// chain; callers ask the facilitator for those.
import { verifyTypedData } from "viem";
import { transferWithAuthorizationTypes } from "./eip3009";
import type { ChainConfig } from "./requirements";
import type { ExactEvmAuthorization } from "./types";

/** The magic suffix of an ERC-6492 wrapped signature (a wallet that is not deployed yet). */
const ERC6492_SUFFIX = "6492649264926492649264926492649264926492649264926492649264926492";

export type SignatureCheck =
  | { kind: "eoa" }
  /** Not an ECDSA signature by `from`: only a contract wallet at `from` could have made it. */
  | { kind: "not-eoa"; erc6492: boolean };

/** The EIP-712 typed data a payer signs for `authorization` on this chain's token. */
export function authorizationTypedData(
  chain: ChainConfig,
  authorization: {
    from: `0x${string}`;
    to: `0x${string}`;
    value: bigint;
    validAfter: bigint;
    validBefore: bigint;
    nonce: `0x${string}`;
  },
) {
  return {
    domain: {
      name: chain.usdcName,
      version: chain.usdcVersion,
      chainId: chain.chainId,
      verifyingContract: chain.usdc,
    },
    types: transferWithAuthorizationTypes,
    primaryType: "TransferWithAuthorization" as const,
    message: authorization,
  };
}

export async function checkAuthorizationSignature(
  chain: ChainConfig,
  authorization: ExactEvmAuthorization,
  signature: `0x${string}`,
): Promise<SignatureCheck> {
  const erc6492 = signature.toLowerCase().endsWith(ERC6492_SUFFIX);
  if (erc6492 || signature.length !== 132) return { kind: "not-eoa", erc6492 };
  try {
    const ok = await verifyTypedData({
      address: authorization.from,
      ...authorizationTypedData(chain, {
        ...authorization,
        value: BigInt(authorization.value),
        validAfter: BigInt(authorization.validAfter),
        validBefore: BigInt(authorization.validBefore),
      }),
      signature,
    });
    return ok ? { kind: "eoa" } : { kind: "not-eoa", erc6492: false };
  } catch {
    return { kind: "not-eoa", erc6492: false }; // unparseable as (r, s, v)
  }
}
