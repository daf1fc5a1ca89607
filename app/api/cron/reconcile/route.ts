// GET|POST /api/cron/reconcile (Authorization: Bearer $CRON_SECRET) → 200 { settled, released, errors, examined, prunedCounters } | 401 | 503
// Finishes payments left half-done anywhere (a crash, a lost answer, a frozen function). Safe to
// call from many places at once: each caller leases its own rows. Vercel's cron calls it (see
// vercel.json); paid requests and long-lived servers also sweep on their own.
import { timingSafeEqual } from "node:crypto";
import { env, EnvError } from "@/lib/env";
import { errorResponse, toErrorResponse } from "@/lib/http/errors";
import { cronSweep } from "@/lib/payments/server";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

function authorized(req: Request, secret: string): boolean {
  const given = Buffer.from(req.headers.get("authorization") ?? "");
  const expected = Buffer.from(`Bearer ${secret}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function handle(req: Request): Promise<Response> {
  let secret: string | null;
  try {
    secret = env().cronSecret;
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    return errorResponse("not_configured", "The server is not configured.");
  }
  if (!secret) return errorResponse("not_configured", "CRON_SECRET is not set; the cron routes are off.");
  if (!authorized(req, secret))
    return errorResponse("not_signed_in", "A valid cron bearer token is required.");
  try {
    return Response.json(await cronSweep(), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return toErrorResponse(error);
  }
}

export const GET = handle;
export const POST = handle;
