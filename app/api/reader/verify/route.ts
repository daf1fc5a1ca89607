// POST /api/reader/verify { message, signature } → 200 { wallet } + reader session cookie (no transaction, no charge) | 400 | 401 rejected | 403 | 429 | 503
import { readerCookie } from "@/lib/http/cookies";
import { errorResponse } from "@/lib/http/errors";
import { startReaderSession } from "@/lib/http/reader";
import { readBody, studioRoute } from "@/lib/http/route";
import { studioChainClient } from "@/lib/studio/chain";
import { signInBodySchema, verifySignIn } from "@/lib/studio/siwe";

export const dynamic = "force-dynamic";

/** Each attempt costs a database read and may cost a chain call (contract wallets). */
const LIMIT = { name: "reader-verify", perMinute: 30, message: "Too many sign-in attempts; wait a minute." };

export async function POST(req: Request) {
  return studioRoute(
    req,
    "public",
    async ({ db, env, site }) => {
      const input = await readBody(req, signInBodySchema);
      const result = await verifySignIn(db, input, {
        domain: site.domain,
        origin: site.origin,
        chainId: env.network.chainId,
        purpose: "reader",
        chainClient: studioChainClient(),
      });
      if (result.kind === "rejected") return errorResponse("not_signed_in", result.message);
      const token = await startReaderSession(result.wallet, env.sessionSecret);
      return Response.json(
        { wallet: result.wallet },
        {
          headers: {
            "set-cookie": readerCookie(token, { secure: site.secure }),
            "cache-control": "no-store",
          },
        },
      );
    },
    { limit: LIMIT },
  );
}
