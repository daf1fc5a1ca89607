// A publisher is not trusted with the reader's browser: <script>, event handlers, javascript: or data: URLs and SVG payloads in
// a publisher's Markdown render inert in the studio's preview (the same renderer as the article page).
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { ArticleDto } from "@/lib/content/catalog";
import { storedTree } from "@/lib/content/markdown";
import { ArticlePreview } from "./article-preview";

const HOSTILE = [
  "Opening paragraph.",
  '<script>alert("body")</script>',
  '<img src=x onerror="alert(1)">',
  '<a href="javascript:alert(2)">raw link</a>',
  "[markdown js link](javascript:alert(3))",
  "[markdown data link](data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==)",
  '<svg onload="alert(5)"><script>alert(6)</script></svg>',
  '<iframe src="https://evil.example"></iframe>',
  "**bold <b onmouseover=alert(7)>x</b>**",
  "[fine](https://example.com/ok)",
].join("\n\n");

const dto = (overrides: Partial<ArticleDto> = {}): ArticleDto => ({
  slug: "hostile",
  title: '<script>alert("title")</script>',
  teaser: '<img src=x onerror="alert(8)">',
  author: "Mallory <script>",
  price: { amount: "50000", display: "$0.05" },
  accessWindowSeconds: 604_800,
  body: HOSTILE,
  bodyTree: storedTree(HOSTILE),
  ...overrides,
});

describe("ArticlePreview", () => {
  const html = renderToStaticMarkup(createElement(ArticlePreview, { article: dto() }));

  it("renders no script, iframe, svg or img element from the publisher's text", () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<iframe/i);
    expect(html).not.toMatch(/<svg/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<b /i);
  });

  it("sets no event-handler attribute and no javascript: or data: URL", () => {
    // Every attribute of every real tag (text is escaped, so "<" only starts elements): none on*.
    const tags = html.match(/<[a-zA-Z][^>]*>/g) ?? [];
    const attributes = tags.flatMap((tag) =>
      [...tag.replace(/"[^"]*"/g, '""').matchAll(/\s([a-zA-Z-]+)=/g)].map((m) => m[1]!.toLowerCase()),
    );
    expect(attributes.length).toBeGreaterThan(0);
    expect(attributes.filter((a) => a.startsWith("on"))).toEqual([]);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual(["https://example.com/ok"]);
  });

  it("leaves the body's HTML out (as readers get it) and shows the rest, and the title, as text", () => {
    const body = html.slice(html.indexOf('data-testid="article-preview-body"'));
    expect(body).toContain("Opening paragraph.");
    expect(body).not.toMatch(/onerror|onload|onmouseover|javascript:|data:/);
    expect(body).not.toContain("alert(&quot;body&quot;)");
    expect(html).toContain("markdown js link");
    expect(html).toContain("<strong>bold x</strong>");
    expect(html).toContain("&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;");
  });
});
