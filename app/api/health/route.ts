// GET /api/health → 200 { ok: true, database, rpc, facilitator, … } | 503 { ok: false, failing: [names], … }
// For uptime monitors and the deploy smoke test. Checks are cached about 10 s per instance.
import { EnvError } from "@/lib/env";
import { errorResponse, toErrorResponse } from "@/lib/http/errors";
import { healthReport } from "@/lib/payments/server";

export const dynamic = "force-dynamic";

const json = (body: unknown, status: number) =>
  new Response(JSON.stringify(body, null, 2), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });

export async function GET(): Promise<Response> {
  try {
    const report = await healthReport();
    return json(report, report.ok ? 200 : 503);
  } catch (error) {
    if (error instanceof EnvError) {
      console.error("[kiosk]", error.message);
      return errorResponse("not_configured", "The server is not configured; see its log.");
    }
    return toErrorResponse(error);
  }
}
