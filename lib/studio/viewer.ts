// Who is looking at a studio page: nobody, a signed-in wallet without a profile yet, or a
// publisher. Pages call this (server components read the cookie through next/headers); API
// routes go through lib/http/route.ts instead.
import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "../db";
import type { Db } from "../db/client";
import type { Publisher } from "../db/queries";
import { env } from "../env";
import { sessionCookieName } from "../http/cookies";
import { siteOrigin } from "../http/origin";
import { publisherForWallet } from "./publishers";
import { checkSession } from "./sessions";

export type Viewer =
  | { kind: "signed-out"; reason: "missing" | "malformed" | "bad-signature" | "expired" | "revoked" }
  | { kind: "no-profile"; wallet: `0x${string}`; db: Db }
  | { kind: "publisher"; wallet: `0x${string}`; publisher: Publisher; db: Db };

/** Once per request, however many components ask. */
export const getViewer = cache(async (): Promise<Viewer> => {
  const e = env();
  // The cookie's name depends on the scheme the site is served over (see sessionCookieName).
  const site = siteOrigin(e, new Request("http://localhost/", { headers: await headers() }));
  const token = (await cookies()).get(
    sessionCookieName({ secure: site.kind === "ok" && site.secure }),
  )?.value;
  if (!token) return { kind: "signed-out", reason: "missing" };
  const db = await getDb();
  const check = await checkSession(db, token, e.sessionSecret);
  if (check.kind !== "valid") return { kind: "signed-out", reason: check.reason };
  const publisher = await publisherForWallet(db, check.session.wallet);
  return publisher
    ? { kind: "publisher", wallet: check.session.wallet, publisher, db }
    : { kind: "no-profile", wallet: check.session.wallet, db };
});

/** For pages below /studio: a publisher, or off to /studio (which signs in or creates the profile). */
export async function requirePublisher(): Promise<Extract<Viewer, { kind: "publisher" }>> {
  const viewer = await getViewer();
  if (viewer.kind !== "publisher") redirect("/studio");
  return viewer;
}
