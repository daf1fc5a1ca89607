// POST /api/reader/nonce → 200 { nonce, expiresAt, domain, uri, chainId, statement } (what a reader signs to restore purchases) | 403 other origin | 429 | 503
import { studioRoute } from "@/lib/http/route";
import { issueNonce, SIWE_PATHS, SIWE_STATEMENTS } from "@/lib/studio/siwe";

/** Each nonce is a database row; a sign-in needs one. */
const LIMIT = { name: "reader-nonce", perMinute: 30, message: "Too many sign-in attempts; wait a minute." };

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  return studioRoute(
    req,
    "public",
    async ({ db, env, site }) => {
      const { nonce, expiresAt } = await issueNonce(db);
      return Response.json(
        {
          nonce,
          expiresAt: expiresAt.toISOString(),
          domain: site.domain,
          uri: `${site.origin}${SIWE_PATHS.reader}`,
          chainId: env.network.chainId,
          statement: SIWE_STATEMENTS.reader,
        },
        { headers: { "cache-control": "no-store" } },
      );
    },
    { limit: LIMIT },
  );
}
