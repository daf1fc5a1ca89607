// Which resource keys a sales view covers, checked against ownership: one article, one endpoint,
// or everything the publisher sells. Keys are the ones payments are filed under (lib/content/resources.ts).
import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { articleKey, dataKey } from "../content/resource-keys";
import type { Publisher } from "../db/queries";
import { articles, dataEndpoints } from "../db/schema";
import { ownArticle } from "./articles";
import { ownEndpoint } from "./endpoints";
import { ok, type Result } from "./results";

export type SalesScope = { keys: string[]; title: string; filename: string };

export type ScopeRequest =
  | { kind: "article"; id: number }
  | { kind: "endpoint"; id: number }
  | { kind: "all" };

const fileSafe = (s: string) =>
  s
    .replace(/[^a-z0-9.-]+/gi, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80) || "sales";

export async function salesScope(
  db: Db,
  publisher: Publisher,
  scope: ScopeRequest,
): Promise<Result<SalesScope>> {
  switch (scope.kind) {
    case "article": {
      const owned = await ownArticle(db, publisher, scope.id);
      if (owned.kind !== "ok") return owned;
      return ok({
        keys: [articleKey(owned.value.slug)],
        title: owned.value.title,
        filename: `kiosk-sales-${fileSafe(owned.value.slug)}.csv`,
      });
    }
    case "endpoint": {
      const owned = await ownEndpoint(db, publisher, scope.id);
      if (owned.kind !== "ok") return owned;
      return ok({
        keys: [dataKey(owned.value.path)],
        title: owned.value.name,
        filename: `kiosk-sales-data-${fileSafe(owned.value.path)}.csv`,
      });
    }
    case "all":
      return ok({
        keys: await publisherKeys(db, publisher),
        title: publisher.name,
        filename: "kiosk-sales.csv",
      });
    default: {
      const unreachable: never = scope;
      return unreachable;
    }
  }
}

/** Every resource key the publisher owns (articles and endpoints, published or not). */
export async function publisherKeys(db: Db, publisher: Publisher): Promise<string[]> {
  const [a, d] = await Promise.all([
    db.select({ slug: articles.slug }).from(articles).where(eq(articles.publisherId, publisher.id)),
    db
      .select({ path: dataEndpoints.path })
      .from(dataEndpoints)
      .where(eq(dataEndpoints.publisherId, publisher.id)),
  ]);
  return [...a.map((r) => articleKey(r.slug)), ...d.map((r) => dataKey(r.path))];
}
