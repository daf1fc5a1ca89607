// POST /api/auth/nonce → 200 { nonce, expiresAt, domain, uri, chainId, statement } (what to sign) | 403 other origin | 503
import { issueNonce, SIWE_STATEMENT } from "@/lib/studio/siwe";
import { studioRoute } from "@/lib/studio/route";

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
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
