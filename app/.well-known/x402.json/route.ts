// GET /.well-known/x402.json → the same document as /.well-known/x402 (the name is not settled upstream)
export { GET } from "../x402/route";

export const dynamic = "force-dynamic";
