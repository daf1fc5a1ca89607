// Whether the connected wallet already owns what the paywall sells, and how the reader proves it.
// The site never answers "does wallet X own Y" for any X (that would publish everyone's
// purchases): GET /api/reader/holds answers only for the wallet behind the reader session, which
// a wallet gets by signing one Sign-In with Ethereum message. So the paywall knows an owner only
// once that wallet has signed in; until then it shows the price beside an offer to sign in.

/**
 * unknown: still asking, or the question could not be asked (then the price stands).
 * unproven: no wallet connected yet, or the connected one has not signed in as a reader here
 *   (or another wallet has): a sign-in would tell.
 * owner: signed in as the connected wallet, which holds an unexpired purchase: restore, never pay.
 * not-owner: signed in as the connected wallet, which holds none: the price.
 */
export type Ownership =
  | { kind: "unknown" }
  | { kind: "unproven"; signingIn: boolean; error: string | null }
  | { kind: "owner" }
  | { kind: "not-owner" };

/** What GET /api/reader/holds answered, read for the connected `address`. */
export function ownershipFrom(status: number, body: unknown, address: string): Ownership {
  if (status === 401) return { kind: "unproven", signingIn: false, error: null };
  if (status !== 200 || typeof body !== "object" || body === null) return { kind: "unknown" };
  const { wallet, held } = body as { wallet?: unknown; held?: unknown };
  if (typeof wallet !== "string" || typeof held !== "boolean") return { kind: "unknown" };
  // Signed in as another wallet: that session says nothing about this one.
  if (wallet.toLowerCase() !== address.toLowerCase())
    return { kind: "unproven", signingIn: false, error: null };
  return held ? { kind: "owner" } : { kind: "not-owner" };
}

export const holdsPath = (resourceKey: string) =>
  `/api/reader/holds?resource=${encodeURIComponent(resourceKey)}`;
