// GET   /api/studio/publisher → 200 the profile | 401 | 403 no profile yet
// POST  /api/studio/publisher { name, payTo? } → 201 created (payTo defaults to the wallet) | 400 (incl. a refused payTo) | 401 | 409 exists
// PATCH /api/studio/publisher { name?, payTo?, confirmation? } → 200 | 400 | 401 | 403 (a new payTo
//       without a fresh confirmation signed by the account wallet) | 409
import {
  createPublisher,
  payoutRules,
  publisherCreateSchema,
  publisherPatchSchema,
  toStudioPublisher,
  updatePublisher,
} from "@/lib/studio/publishers";
import { studioChainClient } from "@/lib/studio/chain";
import { answer, readBody, studioRoute } from "@/lib/http/route";

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
  return studioRoute(req, "publisher", async ({ db, env, site, publisher }) => {
    const patch = await readBody(req, publisherPatchSchema);
    const updated = await updatePublisher(db, publisher, patch, {
      rules: payoutRules(env),
      domain: site.domain,
      origin: site.origin,
      chainId: env.network.chainId,
      chainClient: studioChainClient(),
    });
    return answer(updated, "publisher", toStudioPublisher);
  });
}
