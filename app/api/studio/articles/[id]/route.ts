// GET    /api/studio/articles/:id → 200 | 401 | 403 another publisher's | 404
// PATCH  /api/studio/articles/:id { title?, slug?, body?, teaser?, price?, accessWindow?, published? } → 200 | 400 | 401 | 403 | 404 | 409
// DELETE /api/studio/articles/:id → 200 (never-published drafts only) | 401 | 403 | 404 | 409
import {
  articlePatchSchema,
  deleteArticle,
  ownArticle,
  toStudioArticle,
  updateArticle,
} from "@/lib/studio/articles";
import { answer, parseId, readBody, studioRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export async function GET(req: Request, { params }: Params) {
  return studioRoute(req, "publisher", async ({ db, publisher }) =>
    answer(
      await ownArticle(db, publisher, parseId((await params).id, "article")),
      "article",
      toStudioArticle,
    ),
  );
}

export async function PATCH(req: Request, { params }: Params) {
  return studioRoute(req, "publisher", async ({ db, publisher }) => {
    const id = parseId((await params).id, "article");
    const patch = await readBody(req, articlePatchSchema);
    return answer(await updateArticle(db, publisher, id, patch), "article", toStudioArticle);
  });
}

export async function DELETE(req: Request, { params }: Params) {
  return studioRoute(req, "publisher", async ({ db, publisher }) =>
    answer(await deleteArticle(db, publisher, parseId((await params).id, "article")), "article", (v) => ({
      deleted: v.id,
    })),
  );
}
