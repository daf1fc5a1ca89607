// Gives rows written before articles.body_tree existed their parsed tree, once, at startup, so no
// reader's request ever parses Markdown. A body the parser can't take quickly any more (saved under
// the old 200,000-character limit) is stored as plain paragraphs instead.
import { eq, isNull } from "drizzle-orm";
import { storedTree } from "../content/markdown";
import type { Db } from "./handle";
import { articles } from "./schema";

export async function fillBodyTrees(db: Db): Promise<number> {
  const rows = await db
    .select({ id: articles.id, body: articles.body })
    .from(articles)
    .where(isNull(articles.bodyTree));
  for (const row of rows) {
    await db
      .update(articles)
      .set({ bodyTree: storedTree(row.body) })
      .where(eq(articles.id, row.id));
  }
  return rows.length;
}
