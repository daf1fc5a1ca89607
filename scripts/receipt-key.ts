// npm run receipt-key [-- <kid>] — prints a new Ed25519 receipt signing key as the line to put in
// the environment (RECEIPT_SIGNING_KEY=…), and its public half for RECEIPT_PUBLISHED_KEYS after the
// next rotation. The kid defaults to today's date.
import { generateKeyPairSync } from "node:crypto";

const kid = process.argv[2] ?? new Date().toISOString().slice(0, 10);
const { privateKey } = generateKeyPairSync("ed25519");
const { kty, crv, x, d } = privateKey.export({ format: "jwk" });
console.log(`RECEIPT_SIGNING_KEY='${JSON.stringify({ kty, crv, x, d, kid })}'`);
console.log(`# public half, for RECEIPT_PUBLISHED_KEYS once this key is rotated out:`);
console.log(`# ${JSON.stringify({ kty, crv, x, kid })}`);
