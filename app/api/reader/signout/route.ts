// POST /api/reader/signout → 200, the reader session cookie cleared (receipt cookies already minted stay) | 403 other origin
import { clearedReaderCookie } from "@/lib/http/cookies";
import { studioRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  return studioRoute(req, "public", async ({ site }) =>
    Response.json(
      { signedOut: true },
      {
        headers: { "set-cookie": clearedReaderCookie({ secure: site.secure }), "cache-control": "no-store" },
      },
    ),
  );
}
