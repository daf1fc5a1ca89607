// GET   /api/studio/publisher → 200 the profile | 401 | 403 no profile yet
// POST  /api/studio/publisher { name, payTo? } → 201 created (payTo defaults to the wallet) | 400 (incl. a refused payTo) | 401 | 409 exists
// PATCH /api/studio/publisher { name?, payTo? } → 200 | 400 | 401 | 403
import {
  createPublisher,
  payoutRules,
  publisherCreateSchema,
  publisherPatchSchema,
  toStudioPublisher,
  updatePublisher,
} from "@/lib/studio/publishers";
import { answer, readBody, studioRoute } from "@/lib/studio/route";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  return studioRoute(req, "publisher", async ({ publisher }) => Response.json(toStudioPublisher(publisher)));
}

export async function POST(req: Request) {
  return studioRoute(req, "session", async ({ db, env, session }) => {
    const input = await readBody(req, publisherCreateSchema);
    const created = await createPublisher(db, session.wallet, input, payoutRules(env));
    return answer(created, "publisher", toStudioPublisher, 201);
  });
}

export async function PATCH(req: Request) {
  return studioRoute(req, "publisher", async ({ db, env, publisher }) => {
    const patch = await readBody(req, publisherPatchSchema);
    return answer(
      await updatePublisher(db, publisher, patch, payoutRules(env)),
      "publisher",
      toStudioPublisher,
    );
  });
}
