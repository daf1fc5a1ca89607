// GET  /api/studio/articles → 200 the publisher's articles (drafts included) | 401 | 403 no profile
// POST /api/studio/articles { title, slug, body, teaser?, price: "0.05", accessWindow } → 201 draft | 400 | 401 | 403 | 409 slug taken
import { articleCreateSchema, createArticle, listArticles, toStudioArticle } from "@/lib/studio/articles";
import { answer, readBody, studioRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  return studioRoute(req, "publisher", async ({ db, publisher }) =>
    Response.json((await listArticles(db, publisher)).map(toStudioArticle), {
      headers: { "cache-control": "no-store" },
    }),
  );
}

export async function POST(req: Request) {
  return studioRoute(req, "publisher", async ({ db, publisher }) => {
    const input = await readBody(req, articleCreateSchema);
    return answer(await createArticle(db, publisher, input), "article", toStudioArticle, 201);
  });
}
