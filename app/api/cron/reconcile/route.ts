// GET|POST /api/cron/reconcile (Authorization: Bearer $CRON_SECRET) → 200 { settled, released, errors, examined, prunedCounters } | 401 | 503
// Finishes payments left half-done anywhere (a crash, a lost answer, a frozen function). Safe to
// call from many places at once: each caller leases its own rows. Vercel's cron calls it (see
// vercel.json); paid requests and long-lived servers also sweep on their own.
import { cronRoute } from "@/lib/http/route";
import { cronSweep } from "@/lib/payments/server";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

const handle = cronRoute(async () =>
  Response.json(await cronSweep(), { headers: { "cache-control": "no-store" } }),
);

export const GET = handle;
export const POST = handle;
