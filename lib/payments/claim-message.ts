// The text a reader signs to claim a plain transfer (the check is in transfer.ts). Pure: the
// paywall builds the same message in the browser.

/**
 * The exact text a claimant signs (EIP-191 personal_sign): binds the hash to one resource and
 * chain, to this site's origin (no replay on another deployment) and to a moment (no replay later).
 */
export function claimMessage(p: {
  origin: string;
  resource: string;
  txHash: string;
  chainId: number;
  issuedAt: string;
}): string {
  return [
    `${p.origin} asks you to claim a transfer for Kiosk`,
    `resource: ${p.resource}`,
    `transaction: ${p.txHash.toLowerCase()}`,
    `chain: ${p.chainId}`,
    `issued at: ${p.issuedAt}`,
  ].join("\n");
}
