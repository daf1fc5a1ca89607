// Facilitators word their failure reasons differently (spec, SDK and hosted services disagree),
// so reasons stay opaque codes on the wire and only a few known ones get friendlier text.
/** "The token already saw this authorization's nonce", however a facilitator words it. */
const NONCE_USED = /nonce_already_used|authorization_state|used or canceled/i;

export function meansNonceUsed(reason: string): boolean {
  return NONCE_USED.test(reason);
}

const friendly: Array<[RegExp, string]> = [
  [
    /insufficient_funds|insufficient_balance|transfer amount exceeds balance/i,
    "Not enough USDC in the paying wallet.",
  ],
  [/signature/i, "The payment signature does not match the paying wallet."],
  [NONCE_USED, "This payment authorization was already used."],
  [/valid_before|expired/i, "The payment authorization expired; sign a new one."],
  [/valid_after|not yet valid/i, "The payment authorization is not valid yet."],
  [/recipient|pay_to|payto/i, "The payment goes to the wrong recipient."],
  [/value_mismatch|amount/i, "The payment amount differs from the price."],
  [/network/i, "The payment is for another network."],
  [/simulation_failed|transaction_failed|reverted/i, "The payment would not go through on chain."],
];

export function describeReason(reason: string): string {
  for (const [pattern, text] of friendly) if (pattern.test(reason)) return text;
  return "The payment was not accepted.";
}
