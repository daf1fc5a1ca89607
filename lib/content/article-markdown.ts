// An article as Markdown, for agents that ask for it (`Accept: text/markdown`): the title, the
// byline, the teaser and, when the reader may read it, the body the publisher wrote (stored as
// Markdown, so it is served as written). A locked article's preview ends where the paywall is and
// says how to pay. Built from the DTO only, so a locked body cannot reach it. Pure.
import type { ArticleDto } from "./catalog";

export const MARKDOWN_TYPE = "text/markdown; charset=utf-8";

/** True when the client asks for Markdown (a media range `text/markdown` with a weight above 0). */
export function wantsMarkdown(accept: string | null): boolean {
  // Hand-written: one media type to find, and the only rule that matters is "q=0 means no".
  if (!accept) return false;
  return accept.split(",").some((range) => {
    const [type, ...params] = range.split(";").map((s) => s.trim().toLowerCase());
    if (type !== "text/markdown") return false;
    const q = params.find((p) => p.startsWith("q="));
    return !q || Number(q.slice(2)) > 0;
  });
}

function heading(article: ArticleDto): string {
  // The title is plain text; a newline in it would end the heading early.
  return `# ${article.title.replace(/\s+/g, " ").trim()}\n\n_By ${article.author}_\n\n${article.teaser.trim()}\n`;
}

/** The article a reader may read (free, or unlocked): heading, teaser, body. */
export function articleMarkdown(article: ArticleDto): string {
  if (article.body === null)
    throw new Error("articleMarkdown: the body is locked; use lockedArticleMarkdown");
  return `${heading(article)}\n${article.body.trim()}\n`;
}

/**
 * What a locked article shows an agent beside its 402: the heading and teaser, the price, and how
 * to pay (the requirements ride in the PAYMENT-REQUIRED header, as on the API route).
 */
export function lockedArticleMarkdown(article: ArticleDto, p: { apiUrl: string; problem?: string }): string {
  const lines = [
    heading(article),
    "---",
    "",
    `The full text costs ${article.price.display} in USDC, paid with x402: the \`PAYMENT-REQUIRED\` header ` +
      "of this answer carries the payment requirements; send the signed payment back in a " +
      "`PAYMENT-SIGNATURE` header. A receipt from an earlier purchase (the `kiosk-receipt` header, sent " +
      "back as `Authorization: Bearer <token>`) opens it without paying again.",
    "",
    `The same article as JSON: ${p.apiUrl}`,
  ];
  if (p.problem) lines.push("", `Payment problem: ${p.problem}`);
  return `${lines.join("\n")}\n`;
}
