// The teaser a reader sees before paying: the publisher's own, or else the body's first paragraph
// as plain text, read from the body's parsed tree (lib/content/markdown.ts) rather than from the
// Markdown with regexes: the tree is parsed once, at save, and the walk is linear. Pure.
import { firstParagraphText, type BodyTree } from "../content/markdown";
import { MAX_TEASER_CHARS } from "./validation";

export function truncate(text: string, max = MAX_TEASER_CHARS): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, "")}…`;
}

/** The stored teaser: the explicit one when given, else the body's first paragraph. */
export function resolveTeaser(explicit: string | undefined | null, tree: BodyTree): string {
  const own = explicit?.trim();
  return truncate(own ? own : firstParagraphText(tree));
}
