// The wrappers every API route goes through, so no handler can forget a check or answer an error
// its own way:
// - `apiRoute`: any route; a thrown ApiError becomes its answer, anything else a logged 500.
// - `cronRoute`: the scheduler's routes, behind the CRON_SECRET bearer token.
// - `studioRoute`: the studio and sign-in routes: the client's rate limit when the route has one
//   (429) → CSRF origin check on mutations (403) → database (503) → session cookie (401) →
//   publisher profile when the route needs one (403) → the handler. Errors as
//   `{ error: { code, message } }`.
// - the paid routes have their own, `paidRoute` (paid-route.ts).
// Also the request helpers they share: body reading, ids from the URL, a command's result.
import "server-only";
import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { Db } from "../db/client";
import type { Publisher } from "../db/queries";
import { env, EnvError, trustedProxyHops, type Env } from "../env";
import { publisherForWallet } from "../studio/publishers";
import type { Failure, Result } from "../studio/results";
import type { Session } from "../studio/session";
import { checkSession } from "../studio/sessions";
import { firstIssue } from "../studio/validation";
import { sessionTokenFrom } from "./cookies";
import { openDatabase } from "./database";
import { ApiError, errorResponse, toErrorResponse } from "./errors";
import { isSameOrigin, siteOrigin } from "./origin";
import { allowRequest, ipKey } from "./rate-limit";

/** Any route handler, answering what it throws: an ApiError with its code, anything else a 500. */
export function apiRoute<A extends unknown[]>(
  handler: (req: Request, ...rest: A) => Promise<Response>,
): (req: Request, ...rest: A) => Promise<Response> {
  return async (req, ...rest) => {
    try {
      return await handler(req, ...rest);
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

/**
 * A route that only the scheduler may call: `Authorization: Bearer $CRON_SECRET`, compared in
 * constant time (401 otherwise); 503 while CRON_SECRET is unset (the cron routes are off).
 */
export function cronRoute(handler: (req: Request) => Promise<Response>): (req: Request) => Promise<Response> {
  return apiRoute(async (req: Request) => {
    const secret = cronSecret();
    const given = Buffer.from(req.headers.get("authorization") ?? "");
    const expected = Buffer.from(`Bearer ${secret}`);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new ApiError("not_signed_in", "A valid cron bearer token is required.");
    return handler(req);
  });
}

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

/** A per-minute allowance for calls that write or reach the chain each time (sign-in, claims). */
export type RequestLimit = { name: string; perMinute: number; message: string };

/** Counts the call against `key`'s allowance; a 429 (retry in a minute) once it is spent. */
export async function limitRequests(key: string, limit: RequestLimit): Promise<void> {
  if (!(await allowRequest(`${limit.name}:${key}`, limit.perMinute)))
    throw new ApiError("rate_limited", limit.message, { "retry-after": "60" });
}

/** The same, per client address (as the trusted proxy saw it; one shared bucket without one). */
export function limitClient(req: Request, limit: RequestLimit): Promise<void> {
  return limitRequests(ipKey(req.headers, trustedProxyHops()), limit);
}

export type Site = { origin: string; domain: string; secure: boolean };

type Access = "public" | "session" | "publisher";

type ContextFor<A extends Access> = { req: Request; db: Db; env: Env; site: Site } & (A extends "public"
  ? object
  : A extends "session"
    ? { session: Session; publisher: Publisher | null }
    : { session: Session; publisher: Publisher });

const MUTATIONS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export async function studioRoute<A extends Access>(
  req: Request,
  access: A,
  handler: (ctx: ContextFor<A>) => Promise<Response>,
  options: { limit?: RequestLimit } = {},
): Promise<Response> {
  try {
    // First, before the database: a flood of sign-in attempts must cost as little as possible.
    if (options.limit) await limitClient(req, options.limit);
    const e = env();
    const site = siteOrigin(e, req);
    if (site.kind === "misconfigured") {
      console.error(`[kiosk] ${site.message}`);
      return errorResponse("internal", site.message);
    }
    if (MUTATIONS.has(req.method) && !isSameOrigin(req, site.origin)) {
      return errorResponse("forbidden", "This request came from another site.");
    }
    const db = await openDatabase();
    const base = { req, db, env: e, site: { origin: site.origin, domain: site.domain, secure: site.secure } };
    if (access === "public") return await handler(base as ContextFor<A>);

    const check = await checkSession(db, sessionTokenFrom(req, site), e.sessionSecret);
    if (check.kind !== "valid") {
      return errorResponse(
        "not_signed_in",
        check.reason === "expired"
          ? "Your studio session has expired; sign in again."
          : check.reason === "revoked"
            ? "This studio session was signed out; sign in again."
            : "Sign in to the studio first.",
      );
    }
    const publisher = await publisherForWallet(db, check.session.wallet);
    if (access === "publisher" && !publisher) {
      return errorResponse("forbidden", "Create your publisher profile first.");
    }
    return await handler({ ...base, session: check.session, publisher } as unknown as ContextFor<A>);
  } catch (error) {
    return toErrorResponse(error);
  }
}

const MAX_BODY_BYTES = 1_500_000; // a 1 MB dataset, JSON-escaped

/**
 * The JSON body, parsed with `schema`; a 400 with the first problem's message otherwise, or when
 * it is longer than `maxBytes` (refused before it is read whole).
 */
export async function readBody<S extends z.ZodTypeAny>(
  req: Request,
  schema: S,
  { maxBytes = MAX_BODY_BYTES }: { maxBytes?: number } = {},
): Promise<z.output<S>> {
  const text = await readLimited(req, maxBytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError("bad_request", "The request body must be JSON.");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiError("bad_request", firstIssue(parsed.error));
  return parsed.data;
}

/** Reads at most `limit` bytes: a chunked body without Content-Length can't grow the heap unbounded. */
export async function readLimited(req: Request, limit: number): Promise<string> {
  const tooLarge = () => new ApiError("bad_request", "The request body is too large.");
  if (Number(req.headers.get("content-length") ?? "0") > limit) throw tooLarge();
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

const idSchema = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1);

/** A numeric id from the URL; anything else is a 404 (there is no such resource). */
export function parseId(raw: string, what: string): number {
  const parsed = idSchema.safeParse(raw);
  if (!parsed.success) throw new ApiError("not_found", `No such ${what}.`);
  return parsed.data;
}

/** A command's result as a response: the value through `present`, or its failure's answer. */
export function answer<T>(
  result: Result<T>,
  what: string,
  present: (value: T) => unknown,
  status = 200,
): Response {
  if (result.kind === "ok")
    return Response.json(present(result.value), { status, headers: { "cache-control": "no-store" } });
  return failureResponse(result, what);
}

/** A command's failure as 404 / 403 / 409 / 400. */
export function failureResponse(failure: Failure, what: string): Response {
  switch (failure.kind) {
    case "not-found":
      return errorResponse("not_found", `No such ${what}.`);
    case "forbidden":
      return errorResponse("forbidden", `This ${what} belongs to another publisher.`);
    case "conflict":
      return errorResponse("conflict", failure.message);
    case "invalid":
      return errorResponse("bad_request", failure.message);
    case "refused":
      return errorResponse("forbidden", failure.message);
    default: {
      const unreachable: never = failure;
      return unreachable;
    }
  }
}
