// GET|POST /api/cron/reconcile (Authorization: Bearer $CRON_SECRET) → 200 { settled, released, errors, examined, prunedCounters } | 401 | 503
// Finishes payments left half-done anywhere (a crash, a lost answer, a frozen function). Safe to
// call from many places at once: each caller leases its own rows. Vercel's cron calls it (see
// vercel.json); paid requests and long-lived servers also sweep on their own.
import { timingSafeEqual } from "node:crypto";
import { env, EnvError } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { apiRoute } from "@/lib/http/route";
import { cronSweep } from "@/lib/payments/server";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

function cronSecret(): string {
  let secret: string | null;
  try {
    secret = env().cronSecret;
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    throw new ApiError("not_configured", "The server is not configured.");
  }
  if (!secret) throw new ApiError("not_configured", "CRON_SECRET is not set; the cron routes are off.");
  return secret;
}

function authorized(req: Request, secret: string): boolean {
  const given = Buffer.from(req.headers.get("authorization") ?? "");
  const expected = Buffer.from(`Bearer ${secret}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const handle = apiRoute(async (req: Request) => {
  if (!authorized(req, cronSecret()))
    throw new ApiError("not_signed_in", "A valid cron bearer token is required.");
  return Response.json(await cronSweep(), { headers: { "cache-control": "no-store" } });
});

export const GET = handle;
export const POST = handle;
