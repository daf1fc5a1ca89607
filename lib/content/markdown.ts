// Article bodies: Markdown in, a sanitized HTML syntax tree (hast) out, parsed once when the body is
// saved and stored beside it (articles.body_tree), so a reader's request renders a stored tree and
// never runs the Markdown parser. The pipeline is react-markdown's own (unified + remark-parse +
// remark-rehype, then its post step: skipHtml, an element allow-list, a URL transform); react-markdown
// itself can't be used on the request path because it parses on every render.
//
// The parser (micromark) is not linear on every input: measured here, a 50,000-character paragraph
// of "[a][" takes ~1.4 s, emphasis nested 1,000 deep ~1.5 s (2,000 deep: 9 s, then a stack
// overflow), and ">" or "1. " repeated overflows the stack. So a body is refused before parsing when
// it is longer than MAX_BODY_CHARS or a cheap linear scan sees nesting far past the limit, and after
// parsing when its tree nests deeper than MAX_NESTING. Pure: no Next, no env, no database.
import type { Element, ElementContent, Root, RootContent } from "hast";
import type { Nodes as MdastNodes } from "mdast";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";

/**
 * Longest body accepted (about 3,500 words). The parser's worst inputs cost 15-40 µs a character
 * on this project's 2-core machine ("a\n" or "[a](" repeated; see `npm run bench`), so this keeps
 * any body's parse well under a second.
 */
export const MAX_BODY_CHARS = 20_000;
/** Deepest nesting of quotes, lists, emphasis and links accepted. */
export const MAX_NESTING = 16;
/** The pre-parse scan over-counts (two columns of indentation = one level), so it stops at twice that. */
const SCAN_NESTING = 2 * MAX_NESTING;

export type BodyTree = Root;
export type ParsedBody = { kind: "ok"; tree: BodyTree } | { kind: "too-long" | "too-deep"; message: string };

export const tooLongMessage = `An article can be at most ${MAX_BODY_CHARS.toLocaleString("en-US")} characters.`;
const tooDeepMessage = `Quotes, lists, emphasis and links can be nested at most ${MAX_NESTING} levels deep.`;

/** Elements a body may contain; anything else is unwrapped (its text kept) or, if empty, dropped. */
export const ALLOWED_ELEMENTS = [
  "p",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "em",
  "strong",
  "code",
  "pre",
  "a",
  "ul",
  "ol",
  "li",
  "blockquote",
  "hr",
  "br",
] as const;
const allowed = new Set<string>(ALLOWED_ELEMENTS);
/** The only properties that survive, per element: the renderer adds its own classes and rel. */
const ALLOWED_PROPERTIES: Record<string, readonly string[]> = { a: ["href", "title"], ol: ["start"] };

/** The URL if it is an absolute http(s) URL, else null. Parsing first defeats "java\tscript:" tricks. */
export function safeHref(raw: string): string | null {
  try {
    const url = new URL(raw.trim());
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

// As react-markdown does: raw HTML is carried into the tree as "raw" nodes, then dropped by sanitizeTree.
const processor = unified().use(remarkParse).use(remarkRehype, { allowDangerousHtml: true });

/** Parses a body once, for storing; refuses what the parser can't handle quickly. */
export function parseBody(source: string): ParsedBody {
  if (source.length > MAX_BODY_CHARS) return { kind: "too-long", message: tooLongMessage };
  if (scanNesting(source) > SCAN_NESTING) return { kind: "too-deep", message: tooDeepMessage };
  const mdast = processor.parse(source);
  if (nesting(mdast) > MAX_NESTING) return { kind: "too-deep", message: tooDeepMessage };
  return { kind: "ok", tree: sanitizeTree(processor.runSync(mdast)) };
}

/**
 * A stored body that can no longer be parsed (one saved before the limits): its paragraphs as plain
 * text, so it still reads, and no parser runs on it.
 */
export function plainTree(source: string): BodyTree {
  const paragraphs = source
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  return {
    type: "root",
    children: paragraphs.map((value) => ({
      type: "element",
      tagName: "p",
      properties: {},
      children: [{ type: "text", value }],
    })),
  };
}

/** The stored tree for a body: parsed if it can be, else plain text. For migrating old rows. */
export function storedTree(source: string): BodyTree {
  const parsed = parseBody(source);
  return parsed.kind === "ok" ? parsed.tree : plainTree(source);
}

const NESTING_TYPES = new Set([
  "blockquote",
  "list",
  "emphasis",
  "strong",
  "delete",
  "link",
  "linkReference",
]);

/** How deeply quotes, lists, emphasis and links nest in a parsed tree (iterative: no recursion). */
function nesting(root: MdastNodes): number {
  let max = 0;
  const stack: Array<{ node: MdastNodes; depth: number }> = [{ node: root, depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const depth = item.depth + (NESTING_TYPES.has(item.node.type) ? 1 : 0);
    if (depth > max) max = depth;
    if ("children" in item.node) for (const child of item.node.children) stack.push({ node: child, depth });
  }
  return max;
}

const isBlank = (ch: string | undefined) => ch === undefined || ch === " " || ch === "\t" || ch === "\n";
const isPunct = (ch: string | undefined) => ch !== undefined && /[\p{P}\p{S}]/u.test(ch);

/**
 * An upper estimate of how deep a body nests, without parsing it, in one pass: per line, the quote
 * and list markers that open it plus half its indentation; per paragraph, emphasis runs opened and
 * not yet closed (an opening "*" or "_" run that the text after it touches, minus closing runs).
 * Over-counting only refuses strange bodies (34 columns of indentation before a list marker), never
 * lets a deep one through to the parser.
 */
export function scanNesting(source: string): number {
  let max = 0;
  let emphasis = 0;
  let lineStart = true;
  for (let i = 0; i < source.length; ) {
    if (lineStart) {
      lineStart = false;
      let columns = 0;
      let markers = 0;
      let blank = true;
      for (; i < source.length; ) {
        const ch = source[i];
        if (ch === " ") columns++;
        else if (ch === "\t") columns += 4;
        else if (ch === ">") markers++;
        else if ((ch === "-" || ch === "*" || ch === "+") && isBlank(source[i + 1])) markers++;
        else {
          let j = i;
          while (j < source.length && j - i < 10 && source[j]! >= "0" && source[j]! <= "9") j++;
          if (j > i && (source[j] === "." || source[j] === ")") && isBlank(source[j + 1])) {
            markers++;
            i = j + 1;
            blank = false;
            continue;
          }
          break;
        }
        if (ch !== " " && ch !== "\t") blank = false;
        i++;
      }
      if (blank && (source[i] === "\n" || i >= source.length)) emphasis = 0; // a blank line ends a paragraph
      max = Math.max(max, markers + Math.floor(columns / 2));
      continue;
    }
    const ch = source[i];
    if (ch === "\n") {
      lineStart = true;
      i++;
      continue;
    }
    if (ch === "*" || ch === "_") {
      let run = 1;
      while (source[i + run] === ch) run++;
      const before = source[i - 1];
      const after = source[i + run];
      // CommonMark's flanking rules, simplified: a run touching text after it can open, before it close.
      const opens = !isBlank(after) && (!isPunct(after) || isBlank(before) || isPunct(before));
      const closes = !isBlank(before) && (!isPunct(before) || isBlank(after) || isPunct(after));
      if (opens && (!closes || ch === "*")) emphasis += run;
      else if (closes) emphasis = Math.max(0, emphasis - run);
      max = Math.max(max, emphasis);
      i += run;
      continue;
    }
    i++;
  }
  return max;
}

/**
 * react-markdown's post step over a tree, as a new tree: raw HTML dropped (skipHtml),
 * elements off the allow-list unwrapped, properties off the list dropped, link targets through
 * safeHref (an unsafe one loses its href and renders as its label). Run at save time and again at
 * render time, so a tree stored by an older version obeys today's rules.
 */
export function sanitizeTree(tree: BodyTree): BodyTree {
  return { type: "root", children: sanitizeChildren(tree.children) };
}

function sanitizeChildren(children: ReadonlyArray<RootContent | ElementContent>): ElementContent[] {
  const out: ElementContent[] = [];
  for (const node of children) {
    if (node.type === "text") out.push({ type: "text", value: node.value });
    else if (node.type === "element") {
      const inner = sanitizeChildren(node.children);
      if (!allowed.has(node.tagName)) out.push(...inner);
      else out.push(sanitizeElement(node, inner));
    }
    // raw (HTML), comments and doctypes are dropped.
  }
  return out;
}

function sanitizeElement(node: Element, children: ElementContent[]): Element {
  const properties: Element["properties"] = {};
  for (const key of ALLOWED_PROPERTIES[node.tagName] ?? []) {
    const value = node.properties[key];
    if (value === undefined || value === null) continue;
    if (key === "href") {
      const href = safeHref(String(value));
      if (href) properties.href = href;
    } else if (typeof value === "string" || typeof value === "number") properties[key] = value;
  }
  return { type: "element", tagName: node.tagName, properties, children };
}

/** Plain text of the tree's first top-level paragraph (not a heading, list, quote or code): the derived teaser. */
export function firstParagraphText(tree: BodyTree): string {
  for (const block of tree.children) {
    if (block.type !== "element" || block.tagName !== "p") continue;
    const text = textOf(block).replace(/\s+/g, " ").trim();
    if (text) return text;
  }
  return "";
}

function textOf(node: RootContent | ElementContent): string {
  if (node.type === "text") return node.value;
  if (node.type === "element") return node.children.map(textOf).join("");
  return "";
}
