// The x402 sign-in-with-x extension (CAIP-122 / SIWE messages), as Kiosk offers it: a priced 402
// carries a challenge, and an agent that already bought the resource answers it with a
// SIGN-IN-WITH-X header signed by its wallet instead of paying again.
//
// The challenge's nonce is stateless: an HMAC over the resource, its URL and the challenge's
// issued-at, so a 402 stores nothing and a nonce cannot be minted by anyone but the site, nor moved
// to another resource or another time. Whether a nonce was already used is the caller's to record
// (once, when it unlocks something). Pure: no env, no database; the chain only through the
// optional contract-wallet verifier the caller passes.
import { createHmac, timingSafeEqual } from "node:crypto";
import {
  declareSIWxExtension,
  parseSIWxHeader,
  SIGN_IN_WITH_X,
  verifySIWxSignature,
  type SIWxExtension,
  type SIWxPayload,
} from "@x402/extensions/sign-in-with-x";
import { verifyMessage } from "viem";

export { SIGN_IN_WITH_X };

/** How long a challenge may be answered: issued-at plus this, as the SDK's own default. */
export const SIWX_MAX_AGE_SECONDS = 300;
/** A message may say it was issued this much after our clock (client clock skew). */
const FUTURE_SKEW_SECONDS = 60;
const MAX_HEADER_CHARS = 8192;
export const SIWX_STATEMENT = "Sign in to read what this wallet already bought here. Nothing is charged.";

export type SiwxTarget = {
  /** The HMAC key of the nonces (derived from a site secret). */
  key: Uint8Array;
  /** Kiosk's resource key, e.g. "article:deep-sea". */
  resourceKey: string;
  /** The resource's absolute URL, as the 402's `resource.url` names it. */
  resourceUrl: string;
  /** CAIP-2 of the chain the wallet signs for, e.g. "eip155:8453". */
  network: string;
};

function nonceFor(t: SiwxTarget, issuedAt: string): string {
  return createHmac("sha256", t.key)
    .update(`kiosk siwx v1\n${t.resourceKey}\n${t.resourceUrl}\n${issuedAt}`)
    .digest("hex")
    .slice(0, 32);
}

/** The `sign-in-with-x` extension of a 402 for this resource, issued at `now`. */
export function siwxChallenge(t: SiwxTarget, now: Date): SIWxExtension {
  const declared = declareSIWxExtension({ network: t.network, statement: SIWX_STATEMENT })[SIGN_IN_WITH_X]!;
  const issuedAt = now.toISOString();
  return {
    info: {
      domain: new URL(t.resourceUrl).host,
      uri: t.resourceUrl,
      statement: SIWX_STATEMENT,
      version: "1",
      nonce: nonceFor(t, issuedAt),
      issuedAt,
      expirationTime: new Date(now.getTime() + SIWX_MAX_AGE_SECONDS * 1000).toISOString(),
      resources: [t.resourceUrl],
    },
    supportedChains: declared.supportedChains,
    schema: declared.schema,
  };
}

export type SiwxRefusal =
  | "malformed"
  | "other-chain"
  | "other-resource"
  | "not-our-nonce"
  | "expired"
  | "not-yet-valid"
  | "bad-signature";

export type SiwxCheck =
  | { kind: "signed-in"; address: `0x${string}`; nonce: string; expiresAt: Date }
  | { kind: "refused"; reason: SiwxRefusal; message: string };

/** A contract wallet's check (ERC-1271/6492), asked only when the signature is not the address's own key. */
export type ContractVerifier = (args: {
  address: `0x${string}`;
  message: string;
  signature: `0x${string}`;
}) => Promise<boolean>;

const refused = (reason: SiwxRefusal, message: string): SiwxCheck => ({ kind: "refused", reason, message });

/**
 * Checks a SIGN-IN-WITH-X header for this resource at `now`: its shape, the chain, that it names
 * this resource, that its nonce is one this site issued for this resource at its issued-at, its
 * age and expiry, and the wallet's signature (its own key locally; a contract wallet through
 * `contractVerifier`). It does not know whether the nonce was already used.
 */
export async function checkSiwx(
  header: string,
  t: SiwxTarget,
  now: Date,
  contractVerifier?: ContractVerifier,
): Promise<SiwxCheck> {
  if (header.length > MAX_HEADER_CHARS) return refused("malformed", "The SIGN-IN-WITH-X header is too long.");
  let p: SIWxPayload;
  try {
    p = parseSIWxHeader(header);
  } catch (error) {
    return refused("malformed", error instanceof Error ? error.message : "Invalid SIWX header");
  }
  if (!/^0x[0-9a-fA-F]{40}$/.test(p.address))
    return refused("malformed", "The address is not an EVM address.");
  if (p.chainId !== t.network)
    return refused("other-chain", `This site signs in wallets on ${t.network}, not ${p.chainId}.`);
  const url = new URL(t.resourceUrl);
  if (
    p.domain !== url.host ||
    p.uri !== t.resourceUrl ||
    (p.resources && p.resources.some((r) => r !== t.resourceUrl))
  )
    return refused(
      "other-resource",
      "This sign-in message was made for another resource or site; answer this resource's own challenge.",
    );
  const expected = Buffer.from(nonceFor(t, p.issuedAt));
  const given = Buffer.from(p.nonce);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return refused(
      "not-our-nonce",
      "This sign-in message's nonce was not issued by this site for this resource at that time.",
    );
  const issuedAt = Date.parse(p.issuedAt);
  const age = (now.getTime() - issuedAt) / 1000;
  if (age < -FUTURE_SKEW_SECONDS)
    return refused("not-yet-valid", "This sign-in message is dated in the future.");
  if (age > SIWX_MAX_AGE_SECONDS)
    return refused("expired", "This sign-in message has expired; sign the challenge of a new 402.");
  if (p.expirationTime !== undefined && !(Date.parse(p.expirationTime) > now.getTime()))
    return refused("expired", "This sign-in message has expired; sign the challenge of a new 402.");
  if (p.notBefore !== undefined && !(Date.parse(p.notBefore) <= now.getTime()))
    return refused("not-yet-valid", "This sign-in message is not valid yet.");

  const verified = await verifySIWxSignature(p, {
    evmVerifier: async (args) => {
      // The address's own key first: no chain call for an ordinary wallet.
      if (await verifyMessage(args).catch(() => false)) return true;
      return contractVerifier ? contractVerifier(args) : false;
    },
  });
  if (!verified.isValid) return refused("bad-signature", "The signature is not this wallet's.");
  return {
    kind: "signed-in",
    address: p.address.toLowerCase() as `0x${string}`,
    nonce: p.nonce,
    expiresAt: new Date(issuedAt + SIWX_MAX_AGE_SECONDS * 1000),
  };
}
