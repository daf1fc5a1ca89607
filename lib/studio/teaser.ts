// The teaser a reader sees before paying: the publisher's own, or else the body's first paragraph
// as plain text. The article page prints the teaser as a text node, so Markdown markers are
// stripped here rather than rendered. Pure.
import { MAX_TEASER_CHARS } from "./validation";

const SKIP_BLOCK = /^ {0,3}(#{1,6}\s|```|>|[-*+]\s|\d{1,9}[.)]\s|([-*_])(?:\s*\2){2,}\s*$|<)/;

/** Plain text of one Markdown paragraph: links keep their label, emphasis and code lose their markers. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/`([^`]*)`/g, "$1")
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, "$2")
    .replace(/(^|[^\w*])([*_])(?=\S)([\s\S]*?\S)\2(?![\w*])/g, "$1$3")
    .replace(/\\([\\`*_[\]()#>+\-.!])/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/** The first paragraph of the body that is prose (not a heading, list, quote, fence, rule or HTML). */
export function firstParagraph(body: string): string {
  const blocks = body.replace(/\r\n?/g, "\n").split(/\n\s*\n/);
  let inFence = false;
  for (const block of blocks) {
    const trimmed = block.trim();
    if (trimmed === "") continue;
    const fences = (trimmed.match(/^ {0,3}```/gm) ?? []).length;
    if (inFence || trimmed.startsWith("```")) {
      if (fences % 2 === 1) inFence = !inFence;
      continue;
    }
    if (SKIP_BLOCK.test(trimmed)) continue;
    const text = plainText(trimmed);
    if (text) return text;
  }
  return "";
}

export function truncate(text: string, max = MAX_TEASER_CHARS): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, "")}…`;
}

/** The stored teaser: the explicit one when given, else the first paragraph. */
export function resolveTeaser(explicit: string | undefined | null, body: string): string {
  const own = explicit?.trim();
  return truncate(own ? own : firstParagraph(body));
}
