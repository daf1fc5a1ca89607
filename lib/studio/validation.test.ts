// The studio's input rules: a price of 0, negative, NaN, more than 6
// decimals, or absurdly large → refused with a clear message.
import { describe, expect, it } from "vitest";
import { articleCreateSchema } from "./articles";
import { endpointCreateSchema } from "./endpoints";
import { storedTree } from "../content/markdown";
import { resolveTeaser, truncate } from "./teaser";
import { checkDataContent, dataPathSchema, firstIssue, priceSchema, slugify, slugSchema } from "./validation";

const priceError = (input: unknown) => {
  const parsed = priceSchema.safeParse(input);
  return parsed.success ? null : firstIssue(parsed.error);
};

describe("price", () => {
  it("reads dollars into atomic units", () => {
    expect(priceSchema.parse("0.05")).toBe(50_000n);
    expect(priceSchema.parse("$1")).toBe(1_000_000n);
    expect(priceSchema.parse(" .5 ")).toBe(500_000n);
    expect(priceSchema.parse("0.001")).toBe(1_000n);
    expect(priceSchema.parse("1000000")).toBe(1_000_000_000_000n);
  });

  it.each([
    ["0", "A price must be at least $0.001."],
    ["0.00", "A price must be at least $0.001."],
    ["0.000001", "A price must be at least $0.001."],
    ["0.000999", "A price must be at least $0.001."],
    ["-1", "A price can't be negative."],
    ["-0.05", "A price can't be negative."],
    ["NaN", "Enter a price in dollars, like 0.05."],
    ["Infinity", "Enter a price in dollars, like 0.05."],
    ["1e3", "Enter a price in dollars, like 0.05."],
    ["", "Enter a price in dollars, like 0.05."],
    ["0.0000001", "USDC has at most 6 decimal places."],
    ["1000000.01", "A price can be at most $1,000,000.00."],
    ["99999999999999999999999", "A price can be at most $1,000,000.00."],
    ["0,05", "Use a dot for cents and no thousands separators, like 1000.50."],
  ])("refuses %j: %s", (input, message) => {
    expect(priceError(input)).toBe(message);
  });

  it("refuses a price under $0.001 for data endpoints too (a sale costs the relayer a transaction)", () => {
    const parsed = endpointCreateSchema.safeParse({
      name: "n",
      path: "p.json",
      format: "json",
      content: "{}",
      price: "0.0005",
      accessWindow: "per-request",
    });
    expect(!parsed.success && firstIssue(parsed.error)).toBe("A price must be at least $0.001.");
  });

  it("refuses numbers (JSON floats are how money goes wrong)", () => {
    expect(priceError(0.05)).toBe('Enter the price as text, like "0.05".');
    expect(priceError(undefined)).toBe("Enter a price in dollars, like 0.05.");
  });

  it("reaches the publisher through the article schema unchanged", () => {
    const parsed = articleCreateSchema.safeParse({
      title: "T",
      slug: "t",
      body: "B",
      price: "0",
      accessWindow: "7d",
    });
    expect(parsed.success).toBe(false);
    expect(!parsed.success && firstIssue(parsed.error)).toBe("A price must be at least $0.001.");
  });
});

describe("slug", () => {
  it("accepts kebab-case and trims", () => {
    expect(slugSchema.parse(" my-first-article-2 ")).toBe("my-first-article-2");
  });
  it.each([
    "",
    "My-Article",
    "two--hyphens",
    "-lead",
    "trail-",
    "space here",
    "ünïcode",
    "a/b",
    "x".repeat(121),
  ])("refuses %j", (slug) => {
    expect(slugSchema.safeParse(slug).success).toBe(false);
  });
});

describe("data path", () => {
  it("accepts nested lowercase paths and drops a pasted /api/data/ prefix", () => {
    expect(dataPathSchema.parse("markets/daily-volume.json")).toBe("markets/daily-volume.json");
    expect(dataPathSchema.parse("/api/data/weather/tides_2025.csv")).toBe("weather/tides_2025.csv");
  });
  it.each(["", "../secrets", "a/../b", "a//b", ".hidden", "a/", "Upper.json", "a b", "a/b/c/d/e/f/g"])(
    "refuses %j",
    (p) => {
      expect(dataPathSchema.safeParse(p).success).toBe(false);
    },
  );
});

describe("data content", () => {
  it("checks JSON parses and says why it does not", () => {
    expect(checkDataContent("json", '{"a":[1,2]}')).toEqual({ ok: true });
    const bad = checkDataContent("json", '{"a":');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toMatch(/^The content is not valid JSON: /);
    expect(checkDataContent("json", "   ")).toEqual({ ok: false, message: "Paste the dataset's content." });
  });
  it("takes CSV as text, refusing binary", () => {
    expect(checkDataContent("csv", "day,volume\n2025-01-01,12\n")).toEqual({ ok: true });
    expect(checkDataContent("csv", "a\u0000b").ok).toBe(false);
  });
  it("reports a bad dataset on the content field of a new endpoint", () => {
    const parsed = endpointCreateSchema.safeParse({
      name: "N",
      path: "x.json",
      format: "json",
      content: "not json",
      price: "0.01",
      accessWindow: "per-request",
    });
    expect(parsed.success).toBe(false);
    expect(!parsed.success && parsed.error.issues[0]?.path).toEqual(["content"]);
  });
});

describe("teaser", () => {
  it("is the explicit one when given", () => {
    expect(resolveTeaser("  Mine.  ", storedTree("First.\n\nSecond."))).toBe("Mine.");
  });
  it("else the first prose paragraph, as plain text", () => {
    const body =
      "## Heading\n\n```\ncode\n\nstill code\n```\n\n- a list\n\nThe *first* real [paragraph](https://x.test)\nwith `code` and **bold**.\n\nSecond.";
    expect(resolveTeaser("", storedTree(body))).toBe("The first real paragraph with code and bold.");
  });
  it("keeps snake_case and arithmetic, and leaves HTML out", () => {
    expect(resolveTeaser(null, storedTree("snake_case_name and 2 * 3 * 4"))).toBe(
      "snake_case_name and 2 * 3 * 4",
    );
    expect(resolveTeaser(null, storedTree("<div>x</div>\n\nA <b>bold</b> start."))).toBe("A bold start.");
  });
  it("is cut at a word with an ellipsis when long", () => {
    const cut = truncate("word ".repeat(200), 50);
    expect(cut.length).toBeLessThanOrEqual(50);
    expect(cut.endsWith("word…")).toBe(true);
  });
});

describe("slugify", () => {
  it("suggests a slug the slug rules accept", () => {
    expect(slugify("Tide Tables, Explained!")).toBe("tide-tables-explained");
    expect(slugify("  Café au lait — déjà vu  ")).toBe("cafe-au-lait-deja-vu");
    expect(slugSchema.safeParse(slugify("Tide Tables, Explained!")).success).toBe(true);
  });

  it("is at most 80 characters and never ends in a hyphen", () => {
    const slug = slugify(`${"a".repeat(79)} b`);
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(slug.endsWith("-")).toBe(false);
    expect(slugify("!!!")).toBe("");
  });
});
