// The one wrapper every studio and auth route goes through (auth, origin check, one error table), so no handler
// can forget a check: CSRF origin check on mutations (403) → database (503) → session cookie
// (401) → publisher profile when the route needs one (403) → the handler → errors as
// `{ error: { code, message } }`.
import "server-only";
import { z } from "zod";
import type { Db } from "../db/client";
import { getDb } from "../db";
import type { Publisher } from "../db/queries";
import { env, type Env } from "../env";
import { ApiError, errorResponse, toErrorResponse } from "./errors";
import { isSameOrigin, siteOrigin } from "./origin";
import { publisherForWallet } from "../studio/publishers";
import type { Result } from "../studio/results";
import type { Session } from "../studio/session";
import { sessionTokenFrom } from "./cookies";
import { checkSession } from "../studio/sessions";
import { firstIssue } from "../studio/validation";

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
): Promise<Response> {
  try {
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

async function openDatabase(): Promise<Db> {
  try {
    return await getDb();
  } catch (error) {
    console.error("[kiosk] database unavailable:", error instanceof Error ? error.message : error);
    throw new ApiError("database_unavailable", "The database is unavailable; try again shortly.");
  }
}

const MAX_BODY_BYTES = 1_500_000; // a 1 MB dataset, JSON-escaped

/** The JSON body, parsed with `schema`; a 400 with the first problem's message otherwise. */
export async function readBody<S extends z.ZodTypeAny>(req: Request, schema: S): Promise<z.output<S>> {
  const text = await readLimited(req, MAX_BODY_BYTES);
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

/** A command's result as a response: the value through `present`, or 404 / 403 / 409 / 400. */
export function answer<T>(
  result: Result<T>,
  what: string,
  present: (value: T) => unknown,
  status = 200,
): Response {
  switch (result.kind) {
    case "ok":
      return Response.json(present(result.value), { status, headers: { "cache-control": "no-store" } });
    case "not-found":
      return errorResponse("not_found", `No such ${what}.`);
    case "forbidden":
      return errorResponse("forbidden", `This ${what} belongs to another publisher.`);
    case "conflict":
      return errorResponse("conflict", result.message);
    case "invalid":
      return errorResponse("bad_request", result.message);
    case "refused":
      return errorResponse("forbidden", result.message);
    default: {
      const unreachable: never = result;
      return unreachable;
    }
  }
}
