// Markdown → React elements for article bodies. Hand-written because no Markdown package is
// installed and the subset publishers need is small: paragraphs, #/##/### headings, *em*,
// **strong**, `code`, [links](https://…), - and 1. lists, > quotes, ``` fences and --- rules.
//
// Safety rests on one rule: this file never builds HTML strings. Every piece of text ends up as a
// React text node, which React escapes, so a publisher's <script> or onerror= is shown as text,
// and a link whose URL is not http(s) (javascript:, data:, relative) renders as its label only.
// Keep it that way: no dangerouslySetInnerHTML here, ever.
import type { ReactNode } from "react";

type Block =
  | { kind: "heading"; level: 2 | 3 | 4; text: string }
  | { kind: "paragraph"; text: string }
  | { kind: "quote"; children: Block[] }
  | { kind: "list"; ordered: boolean; start: number; items: string[] }
  | { kind: "code"; text: string }
  | { kind: "rule" };

const HEADING = /^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const FENCE = /^ {0,3}```/;
const QUOTE = /^ {0,3}>\s?(.*)$/;
const BULLET = /^ {0,3}[-*+]\s+(.*)$/;
const ORDERED = /^ {0,3}(\d{1,9})[.)]\s+(.*)$/;
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;

const startsBlock = (line: string) =>
  HEADING.test(line) ||
  FENCE.test(line) ||
  QUOTE.test(line) ||
  RULE.test(line) ||
  BULLET.test(line) ||
  ORDERED.test(line);

export function parseBlocks(lines: readonly string[]): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  const at = (n: number) => lines[n] ?? "";
  while (i < lines.length) {
    const line = at(i);
    if (line.trim() === "") {
      i++;
      continue;
    }
    if (FENCE.test(line)) {
      const body: string[] = [];
      for (i++; i < lines.length && !FENCE.test(at(i)); i++) body.push(at(i));
      i++; // the closing fence, if there is one
      blocks.push({ kind: "code", text: body.join("\n") });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const hashes = heading[1]?.length ?? 2;
      // The page title is the only h1, so "#" and "##" both become h2.
      blocks.push({ kind: "heading", level: hashes <= 2 ? 2 : hashes === 3 ? 3 : 4, text: heading[2] ?? "" });
      i++;
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ kind: "rule" });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const inner: string[] = [];
      for (; i < lines.length && QUOTE.test(at(i)); i++) inner.push(QUOTE.exec(at(i))?.[1] ?? "");
      blocks.push({ kind: "quote", children: parseBlocks(inner) });
      continue;
    }
    const ordered = ORDERED.exec(line);
    if (ordered || BULLET.test(line)) {
      const itemPattern = ordered ? ORDERED : BULLET;
      const itemText = (l: string) => {
        const m = itemPattern.exec(l);
        return (ordered ? m?.[2] : m?.[1]) ?? "";
      };
      const items: string[] = [];
      while (i < lines.length) {
        const current = at(i);
        if (itemPattern.test(current)) {
          items.push(itemText(current));
        } else if (current.trim() === "") {
          // A blank line ends the list unless the next item follows it (a loose list).
          let next = i + 1;
          while (next < lines.length && at(next).trim() === "") next++;
          if (next >= lines.length || !itemPattern.test(at(next))) break;
        } else if (startsBlock(current)) {
          break;
        } else {
          items[items.length - 1] += " " + current.trim(); // a continuation line of the last item
        }
        i++;
      }
      blocks.push({ kind: "list", ordered: Boolean(ordered), start: Number(ordered?.[1] ?? 1), items });
      continue;
    }
    const paragraph: string[] = [];
    for (; i < lines.length && at(i).trim() !== "" && (paragraph.length === 0 || !startsBlock(at(i))); i++) {
      paragraph.push(at(i).trim());
    }
    blocks.push({ kind: "paragraph", text: paragraph.join(" ") });
  }
  return blocks;
}

/** The URL if it is an absolute http(s) URL, else null. Parsing first defeats "java\tscript:" tricks. */
export function safeHref(raw: string): string | null {
  try {
    const url = new URL(raw.trim());
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

const isSpace = (ch: string | undefined) => ch === undefined || /\s/.test(ch);
const isWordChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

/**
 * Where the emphasis opened at `from` closes: the next run of exactly `delim` that follows a
 * non-space (and, for underscores, is not inside a word). -1 if it never closes.
 */
function findClosing(text: string, from: number, delim: string): number {
  const ch = delim[0] ?? "*";
  for (let j = text.indexOf(ch, from); j !== -1; j = text.indexOf(ch, j + 1)) {
    let run = 1;
    while (text[j + run] === ch) run++;
    if (
      run === delim.length &&
      j > from &&
      !isSpace(text[j - 1]) &&
      (ch !== "_" || !isWordChar(text[j + run]))
    ) {
      return j;
    }
    j += run - 1;
  }
  return -1;
}

/** Index of the ")" that closes the "(" at `open`, allowing balanced parentheses inside URLs. */
function findParen(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    if (text[j] === "(") depth++;
    else if (text[j] === ")" && --depth === 0) return j;
  }
  return -1;
}

const linkClass =
  "text-emerald-800 underline decoration-emerald-800/30 underline-offset-2 hover:decoration-emerald-800";

export function renderInline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let buffer = "";
  const push = (node: ReactNode) => {
    if (buffer) out.push(buffer);
    buffer = "";
    out.push(node);
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? "";
    const next = text[i + 1];
    if (ch === "\\" && next !== undefined && /[\\`*_[\]()#>+\-.!]/.test(next)) {
      buffer += next;
      i += 2;
      continue;
    }
    if (ch === "`") {
      const end = text.indexOf("`", i + 1);
      if (end > i + 1) {
        push(
          <code key={out.length} className="rounded bg-stone-100 px-1 py-0.5 font-mono text-[0.85em]">
            {text.slice(i + 1, end)}
          </code>,
        );
        i = end + 1;
        continue;
      }
    }
    if ((ch === "*" || ch === "_") && !isSpace(next) && (ch !== "_" || !isWordChar(text[i - 1]))) {
      const delim = next === ch ? ch + ch : ch;
      if (delim.length === 1 || !isSpace(text[i + 2])) {
        const end = findClosing(text, i + delim.length, delim);
        if (end !== -1) {
          const inner = renderInline(text.slice(i + delim.length, end));
          push(
            delim.length === 2 ? (
              <strong key={out.length}>{inner}</strong>
            ) : (
              <em key={out.length}>{inner}</em>
            ),
          );
          i = end + delim.length;
          continue;
        }
      }
    }
    if (ch === "[") {
      const close = text.indexOf("](", i + 1);
      const end = close === -1 ? -1 : findParen(text, close + 1);
      if (close !== -1 && end !== -1) {
        const label = renderInline(text.slice(i + 1, close));
        const href = safeHref(text.slice(close + 2, end));
        push(
          href ? (
            <a key={out.length} href={href} className={linkClass} rel="noopener noreferrer nofollow">
              {label}
            </a>
          ) : (
            <span key={out.length}>{label}</span>
          ),
        );
        i = end + 1;
        continue;
      }
    }
    buffer += ch;
    i++;
  }
  if (buffer) out.push(buffer);
  return out;
}

function renderBlock(block: Block, key: number): ReactNode {
  switch (block.kind) {
    case "heading": {
      const content = renderInline(block.text);
      if (block.level === 2)
        return (
          <h2 key={key} className="mt-10 mb-3 font-sans text-2xl font-semibold tracking-tight text-stone-900">
            {content}
          </h2>
        );
      if (block.level === 3)
        return (
          <h3 key={key} className="mt-8 mb-2 font-sans text-xl font-semibold text-stone-900">
            {content}
          </h3>
        );
      return (
        <h4 key={key} className="mt-6 mb-2 font-sans text-lg font-semibold text-stone-900">
          {content}
        </h4>
      );
    }
    case "paragraph":
      return (
        <p key={key} className="my-5">
          {renderInline(block.text)}
        </p>
      );
    case "quote":
      return (
        <blockquote key={key} className="my-6 border-l-2 border-stone-300 pl-5 text-stone-600 italic">
          {block.children.map(renderBlock)}
        </blockquote>
      );
    case "list": {
      const items = block.items.map((item, n) => (
        <li key={n} className="pl-1">
          {renderInline(item)}
        </li>
      ));
      return block.ordered ? (
        <ol
          key={key}
          start={block.start === 1 ? undefined : block.start}
          className="my-5 list-decimal space-y-2 pl-6"
        >
          {items}
        </ol>
      ) : (
        <ul key={key} className="my-5 list-disc space-y-2 pl-6">
          {items}
        </ul>
      );
    }
    case "code":
      return (
        <pre
          key={key}
          className="my-6 overflow-x-auto rounded-md bg-stone-100 p-4 font-mono text-sm leading-6"
        >
          <code>{block.text}</code>
        </pre>
      );
    case "rule":
      return <hr key={key} className="my-10 border-stone-200" />;
    default: {
      const unreachable: never = block;
      return unreachable;
    }
  }
}

export function Markdown({ source }: { source: string }) {
  const blocks = parseBlocks(source.replace(/\r\n?/g, "\n").split("\n"));
  return <>{blocks.map(renderBlock)}</>;
}
