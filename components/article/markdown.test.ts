import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import ReactMarkdown from "react-markdown";
import { describe, expect, it } from "vitest";
import { ALLOWED_ELEMENTS, parseBody, safeHref, type BodyTree } from "@/lib/content/markdown";
import { Markdown, markdownComponents } from "./markdown";

function treeOf(source: string): BodyTree {
  const parsed = parseBody(source);
  if (parsed.kind !== "ok") throw new Error(`refused: ${parsed.message}`);
  // Through JSON, as the tree comes back from the database.
  return JSON.parse(JSON.stringify(parsed.tree)) as BodyTree;
}
const render = (source: string) => renderToStaticMarkup(createElement(Markdown, { tree: treeOf(source) }));
/** The markup without Tailwind classes and the newlines between blocks, so assertions read like HTML. */
const bare = (source: string) =>
  render(source)
    .replace(/ class="[^"]*"/g, "")
    .replace(/>\n</g, "><");

describe("Markdown", () => {
  it("renders paragraphs, headings, emphasis, strong and inline code", () => {
    const html = bare("## Title\n\nOne *soft* and **loud** line\nwith `code`.\n\n### Sub\n\n# Top");
    expect(html).toBe(
      "<h2>Title</h2><p>One <em>soft</em> and <strong>loud</strong> line\nwith <code>code</code>.</p><h3>Sub</h3><h2>Top</h2>",
    );
  });

  it("renders lists, ordered lists with a start, blockquotes, rules and fences", () => {
    expect(bare("- one\n- two\n  continued")).toBe("<ul><li>one</li><li>two\ncontinued</li></ul>");
    expect(bare("3. c\n4. d")).toBe('<ol start="3"><li>c</li><li>d</li></ol>');
    expect(bare("> quoted *words*\n> more")).toBe(
      "<blockquote><p>quoted <em>words</em>\nmore</p></blockquote>",
    );
    expect(bare("a\n\n---\n\nb")).toBe("<p>a</p><hr/><p>b</p>");
    expect(bare("```\n<b>x</b> *y*\n```")).toBe("<pre><code>&lt;b&gt;x&lt;/b&gt; *y*\n</code></pre>");
  });

  it("keeps snake_case words and lone asterisks as text", () => {
    expect(bare("snake_case_name and 2 * 3 * 4")).toBe("<p>snake_case_name and 2 * 3 * 4</p>");
    expect(bare("\\*not em\\*")).toBe("<p>*not em*</p>");
    expect(bare("*a **b** c*")).toBe("<p><em>a <strong>b</strong> c</em></p>");
  });

  it("renders http and https links, with rel", () => {
    expect(bare("[x402](https://www.x402.org/) and [plain](http://example.com/a_(b))")).toBe(
      '<p><a href="https://www.x402.org/" rel="noopener noreferrer nofollow">x402</a> and ' +
        '<a href="http://example.com/a_(b)" rel="noopener noreferrer nofollow">plain</a></p>',
    );
  });

  it("drops raw HTML, event handlers and script tags (skipHtml)", () => {
    const html = render(
      '<script>alert("x")</script>\n\n<img src=x onerror="alert(1)">\n\n<a href="javascript:alert(1)">hi</a>\n\n' +
        'Inline <b onclick="alert(1)">bold</b> text.',
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<a /i);
    expect(html).not.toMatch(/<b /i);
    expect(html).not.toMatch(/onerror|onclick|javascript:/i);
    expect(html).toContain("Inline bold text.");
  });

  it("renders SVG payloads and images inert", () => {
    const html = render(
      '<svg onload="alert(1)"><script>alert(2)</script></svg>\n\n' +
        "![x](javascript:alert(1)) ![y](https://evil.example/pixel.svg)\n\n" +
        "[svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIj48L3N2Zz4=)",
    );
    expect(html).not.toMatch(/<svg|<img|<script|<a /i);
    expect(html).not.toMatch(/onload|javascript:|data:/i);
    expect(html).toContain("svg");
  });

  it("drops javascript:, data: and other non-http link targets, keeping the label", () => {
    for (const target of [
      "javascript:alert(1)",
      "JavaScript:alert(document.cookie)",
      "java\tscript:alert(1)",
      " javascript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox(1)",
      "/relative/path",
      "//evil.example/x",
    ]) {
      for (const source of [`[click me](${target})`, `[click me][r]\n\n[r]: ${target}`, `<${target}>`]) {
        const html = render(source);
        expect(html, source).not.toMatch(/<a /);
        expect(html, source).not.toMatch(/href=/);
      }
      expect(render(`[click me](${target})`), target).toContain("click me");
    }
  });

  it("keeps attribute-looking text out of attributes", () => {
    const html = render('[x](https://example.com/" onmouseover="alert(1))');
    // CommonMark makes this text (a URL can't hold spaces); either way the quotes stay escaped text.
    expect(html).not.toMatch(/ onmouseover="/);
  });

  it("re-sanitizes a stored tree: a tree written by hand can't smuggle elements, attributes or URLs", () => {
    const tree = {
      type: "root",
      children: [
        { type: "raw", value: "<script>alert(1)</script>" },
        {
          type: "element",
          tagName: "p",
          properties: { onClick: "alert(1)", style: "x" },
          children: [
            { type: "element", tagName: "iframe", properties: { src: "https://evil.example" }, children: [] },
            {
              type: "element",
              tagName: "a",
              properties: { href: "javascript:alert(1)" },
              children: [{ type: "text", value: "t" }],
            },
          ],
        },
      ],
    } as unknown as BodyTree;
    const html = renderToStaticMarkup(createElement(Markdown, { tree }));
    expect(html).toBe('<p class="my-5"><span>t</span></p>');
  });

  it("renders what react-markdown renders with the same options", () => {
    const sample = [
      "# T\n\n## A *b* **c** `d`\n\n> q\n>\n> > deeper\n\n1. x\n2. y\n   - z\n\n```js\nlet a = 1;\n```",
      '[l](https://a.example "t") [r][r] <https://auto.example> [bad](javascript:x)\n\n[r]: http://r.example',
      "line  \nbreak\n\n***\n\n<div>html</div>\n\ntext <span>inline</span> ![img](https://i.example/x.png)",
    ].join("\n\n");
    const ours = renderToStaticMarkup(createElement(Markdown, { tree: treeOf(sample) }));
    const theirs = renderToStaticMarkup(
      createElement(
        ReactMarkdown,
        {
          skipHtml: true,
          urlTransform: (url: string) => safeHref(url),
          allowedElements: [...ALLOWED_ELEMENTS],
          unwrapDisallowed: true,
          components: markdownComponents,
        },
        sample,
      ),
    );
    expect(ours).toBe(theirs);
  });
});

describe("safeHref", () => {
  it("accepts absolute http(s) only", () => {
    expect(safeHref("https://example.com/a?b=1")).toBe("https://example.com/a?b=1");
    expect(safeHref("http://example.com")).toBe("http://example.com/");
    expect(safeHref("javascript:alert(1)")).toBeNull();
    expect(safeHref("mailto:a@b.c")).toBeNull();
    expect(safeHref("not a url")).toBeNull();
  });
});
