// POST /api/auth/verify { message, signature } → 200 { wallet, publisher } + session cookie | 400 | 401 rejected | 403 | 429 | 503
import { sessionCookie } from "@/lib/http/cookies";
import { errorResponse } from "@/lib/http/errors";
import { readBody, studioRoute } from "@/lib/http/route";
import { studioChainClient } from "@/lib/studio/chain";
import { publisherForWallet, toStudioPublisher } from "@/lib/studio/publishers";
import { startSession } from "@/lib/studio/sessions";
import { signInBodySchema, verifySignIn } from "@/lib/studio/siwe";

export const dynamic = "force-dynamic";

/** Each attempt costs a database read and may cost a chain call (contract wallets); people sign in rarely. */
const LIMIT = { name: "verify", perMinute: 30, message: "Too many sign-in attempts; wait a minute." };

export async function POST(req: Request) {
  return studioRoute(
    req,
    "public",
    async ({ db, env, site }) => {
      const input = await readBody(req, signInBodySchema);
      const expected = {
        domain: site.domain,
        origin: site.origin,
        chainId: env.network.chainId,
        purpose: "studio" as const,
      };
      const result = await verifySignIn(db, input, { ...expected, chainClient: studioChainClient() });
      if (result.kind === "rejected") return errorResponse("not_signed_in", result.message);
      const token = await startSession(db, result.wallet, env.sessionSecret);
      const publisher = await publisherForWallet(db, result.wallet);
      return Response.json(
        { wallet: result.wallet, publisher: publisher && toStudioPublisher(publisher) },
        {
          headers: {
            "set-cookie": sessionCookie(token, { secure: site.secure }),
            "cache-control": "no-store",
          },
        },
      );
    },
    { limit: LIMIT },
  );
}
