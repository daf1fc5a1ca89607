// POST /api/auth/signout → 200, the session revoked server-side (its token stops working wherever it
// was copied) and the cookie cleared (with or without a session) | 403 other origin
import { clearedSessionCookie, sessionTokenFrom } from "@/lib/http/cookies";
import { studioRoute } from "@/lib/http/route";
import { endSession } from "@/lib/studio/sessions";

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  return studioRoute(req, "public", async ({ db, env, site }) => {
    await endSession(db, sessionTokenFrom(req, site), env.sessionSecret);
    return Response.json(
      { signedOut: true },
      {
        headers: { "set-cookie": clearedSessionCookie({ secure: site.secure }), "cache-control": "no-store" },
      },
    );
  });
}
