// POST /api/auth/nonce → 200 { nonce, expiresAt, domain, uri, chainId, statement } (what to sign) | 403 other origin | 429 | 503
import { errorResponse } from "@/lib/http/errors";
import { trustedProxyHops } from "@/lib/env";
import { allowRequest, ipKey } from "@/lib/http/rate-limit";
import { issueNonce, SIWE_STATEMENT } from "@/lib/studio/siwe";
import { studioRoute } from "@/lib/http/route";

/** Each nonce is a database row; a sign-in needs one, so 30 a minute per address is plenty. */
const NONCES_PER_MINUTE = 30;

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  if (!(await allowRequest(`nonce:${ipKey(req.headers, trustedProxyHops())}`, NONCES_PER_MINUTE))) {
    return errorResponse("rate_limited", "Too many sign-in attempts; wait a minute.", {
      "retry-after": "60",
    });
  }
  return studioRoute(req, "public", async ({ db, env, site }) => {
    const { nonce, expiresAt } = await issueNonce(db);
    return Response.json(
      {
        nonce,
        expiresAt: expiresAt.toISOString(),
        domain: site.domain,
        uri: `${site.origin}/studio`,
        chainId: env.network.chainId,
        statement: SIWE_STATEMENT,
      },
      { headers: { "cache-control": "no-store" } },
    );
  });
}
