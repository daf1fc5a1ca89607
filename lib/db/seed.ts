// Puts the demo catalog (seed-content.ts, beside it) into a database. Idempotent: every insert
// skips rows whose unique key (publisher wallet, article slug, data path) already exists, so
// running it on every start changes nothing after the first, and never overwrites a publisher's
// edits. No `server-only` here: scripts/stack.ts runs it outside Next.
import { eq } from "drizzle-orm";
import { storedTree } from "../content/markdown";
import type { Devnet } from "../devnet/file";
import type { Db } from "./client";
import { articles, dataEndpoints, publishers } from "./schema";
import { seedArticles, seedDataEndpoints, seedPublisher } from "./seed-content";

export async function seed(db: Db, devnet: Devnet): Promise<void> {
  const wallet = devnet.payTo.toLowerCase();
  await db.transaction(async (tx) => {
    await tx
      .insert(publishers)
      .values({ wallet, name: seedPublisher.name, payTo: wallet })
      .onConflictDoNothing({ target: publishers.wallet });
    const [publisher] = await tx
      .select({ id: publishers.id })
      .from(publishers)
      .where(eq(publishers.wallet, wallet));
    if (!publisher) throw new Error(`seed: publisher ${wallet} was neither inserted nor found`);

    await tx
      .insert(articles)
      .values(
        seedArticles.map((a) => ({
          publisherId: publisher.id,
          slug: a.slug,
          title: a.title,
          teaser: a.teaser,
          body: a.body,
          bodyTree: storedTree(a.body),
          priceAtomic: a.priceAtomic,
          accessWindowSeconds: a.accessWindowSeconds,
          published: true,
          publishedAt: a.publishedAt,
        })),
      )
      .onConflictDoNothing({ target: articles.slug });

    await tx
      .insert(dataEndpoints)
      .values(
        seedDataEndpoints.map((d) => ({
          publisherId: publisher.id,
          path: d.path,
          name: d.name,
          description: d.description,
          contentType: d.contentType,
          content: d.content,
          priceAtomic: d.priceAtomic,
          accessWindowSeconds: d.accessWindowSeconds,
          published: true,
        })),
      )
      .onConflictDoNothing({ target: dataEndpoints.path });
  });
}
