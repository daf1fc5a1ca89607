// POST /api/auth/signout → 200, the session revoked server-side (its token stops working wherever it
// was copied) and the cookie cleared (with or without a session) | 403 other origin
import { readCookie } from "@/lib/cookies";
import { studioRoute } from "@/lib/studio/route";
import { clearedSessionCookie, sessionCookieName } from "@/lib/studio/session";
import { endSession } from "@/lib/studio/sessions";

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  return studioRoute(req, "public", async ({ db, env, site }) => {
    await endSession(db, readCookie(req.headers.get("cookie"), sessionCookieName(site)), env.sessionSecret);
    return Response.json(
      { signedOut: true },
      {
        headers: { "set-cookie": clearedSessionCookie({ secure: site.secure }), "cache-control": "no-store" },
      },
    );
  });
}
