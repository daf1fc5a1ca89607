// GET /api/health → 200 { ok: true, database, rpc, facilitator, … } | 503 { ok: false, failing: [names], … }
// For uptime monitors and the deploy smoke test. Checks are cached about 10 s per instance.
import { EnvError } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { apiRoute } from "@/lib/http/route";
import { healthReport } from "@/lib/payments/server";

export const dynamic = "force-dynamic";

async function checks() {
  try {
    return await healthReport();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error("[kiosk]", error.message);
    throw new ApiError("not_configured", "The server is not configured; see its log.");
  }
}

export const GET = apiRoute(async () => {
  const report = await checks();
  return new Response(JSON.stringify(report, null, 2), {
    status: report.ok ? 200 : 503,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });
});
