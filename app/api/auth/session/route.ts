// GET /api/auth/session → 200 { wallet, expiresAt, publisher | null } | 401 not signed in
import { toStudioPublisher } from "@/lib/studio/publishers";
import { studioRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  return studioRoute(req, "session", async ({ session, publisher }) =>
    Response.json(
      {
        wallet: session.wallet,
        expiresAt: session.expiresAt.toISOString(),
        publisher: publisher && toStudioPublisher(publisher),
      },
      { headers: { "cache-control": "no-store" } },
    ),
  );
}
