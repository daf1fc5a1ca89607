// GET  /api/studio/endpoints → 200 the publisher's data endpoints | 401 | 403 no profile
// POST /api/studio/endpoints { name, description?, path, format: "json"|"csv", content, price, accessWindow, published? } → 201 | 400 | 401 | 403 | 409 path taken
import {
  createEndpoint,
  endpointCreateSchema,
  listEndpoints,
  toStudioEndpoint,
} from "@/lib/studio/endpoints";
import { answer, readBody, studioRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  return studioRoute(req, "publisher", async ({ db, publisher }) =>
    Response.json((await listEndpoints(db, publisher)).map(toStudioEndpoint), {
      headers: { "cache-control": "no-store" },
    }),
  );
}

export async function POST(req: Request) {
  return studioRoute(req, "publisher", async ({ db, publisher }) => {
    const input = await readBody(req, endpointCreateSchema);
    return answer(await createEndpoint(db, publisher, input), "data endpoint", toStudioEndpoint, 201);
  });
}
