// What a studio command answers: its value, or why not. Routes turn the failures into 404 / 403 /
// 409 / 400 with one switch (lib/http/route.ts); pages render them.

export type Failure =
  | { kind: "not-found" }
  /** The resource exists and belongs to another publisher. */
  | { kind: "forbidden" }
  | { kind: "conflict"; message: string }
  /** Input that passed the schema but not a rule that needs the stored row (→ 400). */
  | { kind: "invalid"; message: string }
  /** The caller's own resource, but the change needs a proof the request lacks (→ 403). */
  | { kind: "refused"; message: string };

export type Result<T> = { kind: "ok"; value: T } | Failure;

export const ok = <T>(value: T): Result<T> => ({ kind: "ok", value });
export const notFound = { kind: "not-found" } as const satisfies Failure;
export const forbidden = { kind: "forbidden" } as const satisfies Failure;
export const conflict = (message: string): Failure => ({ kind: "conflict", message });
export const invalid = (message: string): Failure => ({ kind: "invalid", message });
export const refused = (message: string): Failure => ({ kind: "refused", message });

/** Postgres unique_violation, through drizzle's error wrapper (PGlite and node-postgres alike). */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}
