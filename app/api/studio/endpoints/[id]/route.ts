// GET    /api/studio/endpoints/:id → 200 | 401 | 403 another publisher's | 404
// PATCH  /api/studio/endpoints/:id { name?, description?, path?, format?, content?, price?, accessWindow?, published? } → 200 | 400 | 401 | 403 | 404 | 409
// DELETE /api/studio/endpoints/:id → 200 (only if nobody paid for it) | 401 | 403 | 404 | 409
import {
  deleteEndpoint,
  endpointPatchSchema,
  ownEndpoint,
  toStudioEndpoint,
  updateEndpoint,
} from "@/lib/studio/endpoints";
import { answer, parseId, readBody, studioRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };
const WHAT = "data endpoint";

export async function GET(req: Request, { params }: Params) {
  return studioRoute(req, "publisher", async ({ db, publisher }) =>
    answer(await ownEndpoint(db, publisher, parseId((await params).id, WHAT)), WHAT, toStudioEndpoint),
  );
}

export async function PATCH(req: Request, { params }: Params) {
  return studioRoute(req, "publisher", async ({ db, publisher }) => {
    const id = parseId((await params).id, WHAT);
    const patch = await readBody(req, endpointPatchSchema);
    return answer(await updateEndpoint(db, publisher, id, patch), WHAT, toStudioEndpoint);
  });
}

export async function DELETE(req: Request, { params }: Params) {
  return studioRoute(req, "publisher", async ({ db, publisher }) =>
    answer(await deleteEndpoint(db, publisher, parseId((await params).id, WHAT)), WHAT, (v) => ({
      deleted: v.id,
    })),
  );
}
