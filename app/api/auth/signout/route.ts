// POST /api/auth/signout → 200 and the session cookie cleared (with or without a session) | 403 other origin
import { studioRoute } from "@/lib/studio/route";
import { clearedSessionCookie } from "@/lib/studio/session";

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  return studioRoute(req, "public", async ({ site }) =>
    Response.json(
      { signedOut: true },
      {
        headers: { "set-cookie": clearedSessionCookie({ secure: site.secure }), "cache-control": "no-store" },
      },
    ),
  );
}
