// GET /api/reader/holds?resource=article:<slug> → 200 { wallet, resource, held } for the signed-in reader's own wallet | 400 | 401 not signed in | 503
// Only the wallet behind the reader session is ever answered for: a lookup by address would tell
// anyone what a wallet bought. The paywall asks this after the reader signs in, to offer
// "Restore access" instead of a price.
import { z } from "zod";
import { parseResourceKey } from "@/lib/content/resource-keys";
import { ApiError } from "@/lib/http/errors";
import { heldHere, readerWallet } from "@/lib/http/reader";
import { studioRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  resource: z
    .string()
    .max(320)
    .refine((key) => parseResourceKey(key) !== null),
});

export async function GET(req: Request) {
  return studioRoute(req, "public", async ({ db, env, site }) => {
    const query = querySchema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
    if (!query.success)
      throw new ApiError("bad_request", "?resource= must name what was bought, e.g. article:<slug>.");
    const wallet = await readerWallet(req.headers.get("cookie"), site, env.sessionSecret);
    if (!wallet) throw new ApiError("not_signed_in", "Sign in with your wallet to see what it holds.");
    const { resource } = query.data;
    const held = await heldHere(db, wallet, resource, { caip2: env.network.caip2, now: new Date() });
    return Response.json(
      { wallet, resource, held: held !== null },
      { headers: { "cache-control": "no-store", vary: "cookie" } },
    );
  });
}
