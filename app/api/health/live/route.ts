// GET /api/health/live → 200 { ok: true }: the process is up and answering. For load balancers and
// orchestrators' liveness probes, which must not fail because the database or the chain is slow
// (that would restart healthy instances during an outage upstream). /api/health reports those.
// Constant, no database, no env, no chain: also the bench's floor for a dynamic route.
export const dynamic = "force-dynamic";

const BODY = JSON.stringify({ ok: true });

export function GET(): Response {
  return new Response(BODY, {
    status: 200,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });
}
