// POST /api/auth/verify { message, signature } → 200 { wallet, publisher } + session cookie | 400 | 401 rejected | 403 | 429 | 503
import { z } from "zod";
import { sessionCookie } from "@/lib/http/cookies";
import { errorResponse } from "@/lib/http/errors";
import { trustedProxyHops } from "@/lib/env";
import { allowRequest, ipKey } from "@/lib/http/rate-limit";
import { studioChainClient } from "@/lib/studio/chain";
import { publisherForWallet, toStudioPublisher } from "@/lib/studio/publishers";
import { readBody, studioRoute } from "@/lib/http/route";
import { startSession } from "@/lib/studio/sessions";
import { verifySignIn } from "@/lib/studio/siwe";

/** Each attempt costs a database read and may cost a chain call (contract wallets); people sign in rarely. */
const VERIFIES_PER_MINUTE = 30;

export const dynamic = "force-dynamic";

const bodySchema = z.object({
  message: z.string({ required_error: "message is required." }).max(4_000, "message is too long."),
  signature: z.string({ required_error: "signature is required." }).max(20_000, "signature is too long."),
});

export async function POST(req: Request) {
  if (!(await allowRequest(`verify:${ipKey(req.headers, trustedProxyHops())}`, VERIFIES_PER_MINUTE))) {
    return errorResponse("rate_limited", "Too many sign-in attempts; wait a minute.", {
      "retry-after": "60",
    });
  }
  return studioRoute(req, "public", async ({ db, env, site }) => {
    const input = await readBody(req, bodySchema);
    const result = await verifySignIn(db, input, {
      domain: site.domain,
      origin: site.origin,
      chainId: env.network.chainId,
      chainClient: studioChainClient(),
    });
    if (result.kind === "rejected") return errorResponse("not_signed_in", result.message);
    const token = await startSession(db, result.wallet, env.sessionSecret);
    const publisher = await publisherForWallet(db, result.wallet);
    return Response.json(
      { wallet: result.wallet, publisher: publisher && toStudioPublisher(publisher) },
      {
        headers: { "set-cookie": sessionCookie(token, { secure: site.secure }), "cache-control": "no-store" },
      },
    );
  });
}
