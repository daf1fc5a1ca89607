// The article-body section of `npm run bench` (a body built to stall the parser must not stall the studio): for each adversarial body at the limit and at
// the old 200,000-character limit, the save's parse-and-check (articleCreateSchema, what
// POST /api/studio/articles runs) and the preview's render of the stored tree, after a JSON round
// trip as from the database. Target: each answers, accepted or refused, within 1 s.
// `npm run bench` runs this file in a child process (`--json`): the bench itself runs under the
// react-server condition, where react-dom/server refuses to load.
// In process rather than over HTTP: the studio needs a wallet sign-in, and what is measured is
// the CPU a request spends, which the HTTP layer does not change.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { Markdown } from "../components/article/markdown";
import { adversarialBodies } from "../lib/content/adversarial-bodies";
import type { BodyTree } from "../lib/content/markdown";
import { articleCreateSchema } from "../lib/studio/validation";

export function markdownRows(): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  articleCreateSchema.safeParse(form("warm *up* [a](https://a.example)")); // JIT, not the figure
  for (const chars of [20_000, 200_000]) {
    for (const [name, body] of adversarialBodies(chars)) {
      const t0 = performance.now();
      const saved = articleCreateSchema.safeParse(form(body));
      const t1 = performance.now();
      let rendered = "refused";
      if (saved.success) {
        const tree = JSON.parse(JSON.stringify(saved.data.body.tree)) as BodyTree;
        const html = renderToStaticMarkup(createElement(Markdown, { tree }));
        rendered = `${(performance.now() - t1).toFixed(0)} ms (${html.length} B)`;
      }
      const verdict = saved.success ? "accepted" : (saved.error.issues[0]?.message ?? "refused");
      rows.push([
        `body ${name} × ${chars.toLocaleString("en-US")} chars`,
        `save ${(t1 - t0).toFixed(0)} ms ${verdict.startsWith("accepted") ? "accepted" : `400 "${verdict}"`}, preview ${rendered}`,
      ]);
    }
  }
  return rows;
}

function form(body: string) {
  return { title: "Bench", slug: "bench", body, price: "0.01", accessWindow: "30d" };
}

if (process.argv[1]?.endsWith("bench-markdown.ts")) {
  const rows = markdownRows();
  if (process.argv.includes("--json")) console.log(JSON.stringify(rows));
  else for (const [k, v] of rows) console.log(`  ${k.padEnd(40)}  ${v}`);
}
