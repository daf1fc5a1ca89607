import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown, safeHref } from "./markdown";

const render = (source: string) => renderToStaticMarkup(createElement(Markdown, { source }));
/** The markup without Tailwind classes, so assertions read like the HTML they check. */
const bare = (source: string) => render(source).replace(/ class="[^"]*"/g, "");

describe("Markdown", () => {
  it("renders paragraphs, headings, emphasis, strong and inline code", () => {
    const html = bare("## Title\n\nOne *soft* and **loud** line\nwith `code`.\n\n### Sub\n\n# Top");
    expect(html).toBe(
      "<h2>Title</h2><p>One <em>soft</em> and <strong>loud</strong> line with <code>code</code>.</p><h3>Sub</h3><h2>Top</h2>",
    );
  });

  it("renders lists, ordered lists with a start, blockquotes, rules and fences", () => {
    expect(bare("- one\n- two\n  continued\n\n- three")).toBe(
      "<ul><li>one</li><li>two continued</li><li>three</li></ul>",
    );
    expect(bare("3. c\n4. d")).toBe('<ol start="3"><li>c</li><li>d</li></ol>');
    expect(bare("> quoted *words*\n> more")).toBe(
      "<blockquote><p>quoted <em>words</em> more</p></blockquote>",
    );
    expect(bare("a\n\n---\n\nb")).toBe("<p>a</p><hr/><p>b</p>");
    expect(bare("```\n<b>x</b> *y*\n```")).toBe("<pre><code>&lt;b&gt;x&lt;/b&gt; *y*</code></pre>");
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

  it("renders raw HTML, event handlers and script tags as inert text", () => {
    const html = render(
      '<script>alert("x")</script>\n\n<img src=x onerror="alert(1)">\n\n<a href="javascript:alert(1)">hi</a>',
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<a /i);
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
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
      const html = render(`[click me](${target})`);
      expect(html, target).not.toMatch(/<a /);
      expect(html, target).not.toMatch(/href=/);
      expect(html, target).toContain("click me");
    }
  });

  it("keeps attribute-looking text out of attributes", () => {
    const html = render('[x](https://example.com/" onmouseover="alert(1))');
    expect(html).not.toMatch(/ onmouseover=/);
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
