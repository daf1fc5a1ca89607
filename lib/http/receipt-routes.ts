// The routes that hand a purchaser the signed receipt of a purchase, and the public keys that
// check it. The purchase is named by its transaction (agents: /api/receipts/<tx> with their
// receipt as Bearer) or by the article page it unlocked (browsers: /articles/<slug>/receipt, where
// the page's receipt cookie is sent).
import "server-only";
import { articleKey, articleSlugSchema } from "../content/resource-keys";
import { env } from "../env";
import { signedReceiptFor, type SignedReceiptResult } from "../payments/signed-receipts";
import { jwksDocument } from "../receipts/signing-keys";
import { checkReceipt, revocationsFor } from "../payments/revocations";
import { receiptTokenFrom } from "../verify";
import { readCookie, RECEIPT_COOKIE } from "./cookies";
import { openDatabase } from "./database";
import { errorResponse } from "./errors";
import { baseUrlFor } from "./origin";
import { restoreForReader } from "./reader";
import { apiRoute } from "./route";

async function context(req: Request) {
  const e = env();
  return {
    db: await openDatabase(),
    secrets: e.receiptSecrets,
    signing: e.receiptSigning,
    network: e.network.caip2,
    origin: baseUrlFor(e.publicUrl, req),
  };
}

function tokenOf(req: Request): string | null {
  // Only what the client sent: these paths are not paid paths, so proxy.ts forwards nothing here.
  return receiptTokenFrom(req.headers, readCookie(req.headers.get("cookie"), RECEIPT_COOKIE), {
    forwarded: false,
  });
}

function answer(result: SignedReceiptResult): Response {
  switch (result.kind) {
    case "ok":
      return new Response(JSON.stringify(result.file, null, 2) + "\n", {
        headers: {
          "content-type": "application/json",
          "content-disposition": `attachment; filename="${result.filename}"`,
          "cache-control": "private, no-store",
        },
      });
    case "not-signed-in":
      return errorResponse(
        "not_signed_in",
        "Show the purchase's receipt (Authorization: Bearer <kiosk-receipt>, or the article's receipt cookie).",
      );
    case "not-yours":
      return errorResponse("forbidden", "This receipt is not for that purchase.");
    case "not-found":
      return errorResponse("not_found", "No settled purchase has that transaction.");
    default: {
      const never: never = result;
      throw new Error(`unhandled receipt result ${String(never)}`);
    }
  }
}

/** GET /api/receipts/<tx>: the signed receipt of the purchase that transaction settled. */
export const receiptByTransactionRoute = apiRoute(
  async (req: Request, { params }: { params: Promise<{ tx: string }> }) => {
    const { tx } = await params;
    const token = tokenOf(req);
    if (!token) return answer({ kind: "not-signed-in" });
    return answer(await signedReceiptFor(await context(req), tx.toLowerCase(), token));
  },
);

/** GET /articles/<slug>/receipt: the signed receipt of the purchase the page's cookie proves. */
export const receiptForArticleRoute = apiRoute(
  async (req: Request, { params }: { params: Promise<{ slug: string }> }) => {
    const slug = articleSlugSchema.safeParse((await params).slug);
    if (!slug.success) return errorResponse("not_found", "No such article.");
    // A signed-in reader who never opened the article in this browser has no page cookie yet: the
    // wallet's purchase gives the receipt (the same one lookup as opening the article).
    const token = tokenOf(req) ?? (await restoreForReader(req, articleKey(slug.data)))?.token ?? null;
    if (!token) return answer({ kind: "not-signed-in" });
    const ctx = await context(req);
    const check = await checkReceipt(revocationsFor(ctx.db), token, articleKey(slug.data), ctx.secrets);
    if (check.kind !== "valid") return answer({ kind: "not-yours" });
    if (!check.claims.tx) return answer({ kind: "not-found" });
    return answer(await signedReceiptFor(ctx, check.claims.tx.toLowerCase(), token));
  },
);

/** GET /.well-known/jwks.json: every key a receipt of this site may be signed with. */
export const jwksRoute = apiRoute(async () =>
  Response.json(jwksDocument(env().receiptSigning), {
    headers: { "cache-control": "public, max-age=300", "access-control-allow-origin": "*" },
  }),
);
