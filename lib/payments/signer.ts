// What a paid request learns about a payment's authorization before anything is stored: who
// signed it (EOAs locally, contract wallets through the chain and the facilitator), and whether
// the token has already seen its nonce.
import "server-only";
import { parseAbi } from "viem";
import { errorResponse } from "../http/errors";
import { isThrottled, recordFailedAttempt } from "../http/rate-limit";
import { checkAuthorizationSignature } from "../x402/authorization";
import type { DecodedPayment } from "../x402/codec";
import type { FacilitatorRequirements } from "../x402/requirements";
import type { PaidContext } from "./context";
import { describeReason } from "./reasons";
import { signatureRefused, unavailable } from "./responses";

export type SignerCheck =
  | { kind: "verified"; via: "local" | "facilitator" }
  | { kind: "refused"; response: Response };

/**
 * Establishes that `authorization.from` signed this payment before anything is stored. EOAs
 * recover locally. Anything else can only be a contract wallet at `from` (ERC-1271, or ERC-6492
 * before deployment), which takes the chain: a code lookup, then the facilitator's check. Those
 * steps are bounded per client IP, and a signature that fails them counts against the IP only.
 */
export async function verifySigner(
  payment: DecodedPayment,
  forFacilitator: FacilitatorRequirements,
  ctx: PaidContext,
  ip: string,
): Promise<SignerCheck> {
  const local = await checkAuthorizationSignature(ctx.chain, payment.authorization, payment.signature);
  if (local.kind === "eoa") return { kind: "verified", via: "local" };
  if (await isThrottled([ip])) {
    return {
      kind: "refused",
      response: errorResponse(
        "rate_limited",
        "Too many payments with signatures that do not verify; wait a minute.",
        { "retry-after": "60" },
      ),
    };
  }
  if (!local.erc6492) {
    let code: string | undefined;
    try {
      code = await ctx.chainClient.getCode({ address: payment.authorization.from });
    } catch {
      return {
        kind: "refused",
        response: errorResponse(
          "facilitator_unavailable",
          "The chain could not be read to check the payment signature; nothing was charged.",
          { "retry-after": "10" },
        ),
      };
    }
    if (!code || code === "0x") {
      await recordFailedAttempt([ip]);
      return {
        kind: "refused",
        response: signatureRefused("The payment signature does not match the paying wallet."),
      };
    }
  }
  let verified;
  try {
    verified = await ctx.facilitator.verify(payment.payload, forFacilitator);
  } catch (error) {
    return { kind: "refused", response: unavailable(error) };
  }
  if (verified.kind === "invalid") {
    await recordFailedAttempt([ip]);
    return { kind: "refused", response: signatureRefused(describeReason(verified.reason), verified.reason) };
  }
  return { kind: "verified", via: "facilitator" };
}

const authorizationStateAbi = parseAbi([
  "function authorizationState(address authorizer, bytes32 nonce) view returns (bool)",
]);

/** True if the token never saw this nonce, false if it was used or canceled, null if unreadable. */
export async function nonceUnusedOnChain(ctx: PaidContext, payment: DecodedPayment): Promise<boolean | null> {
  try {
    const used = await ctx.chainClient.readContract({
      address: ctx.chain.usdc,
      abi: authorizationStateAbi,
      functionName: "authorizationState",
      args: [payment.authorization.from, payment.authorization.nonce],
    });
    return !used;
  } catch {
    return null;
  }
}
