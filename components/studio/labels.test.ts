// The words the studio's shared pieces show: access-window choices (derived from the windows the
// server accepts, and the same as the labels the editors spelled out by hand before) and the
// one-word status of an article or endpoint.
import { describe, expect, it } from "vitest";
import { ARTICLE_WINDOWS, DATA_WINDOWS } from "@/lib/studio/validation";
import { articleWindowLabel, dataWindowLabel } from "./access-window-field";
import { statusLabel } from "./status";

const labels = <W extends string>(
  windows: Record<W, number | null>,
  describe: (s: number | null) => string,
) => Object.fromEntries(Object.entries<number | null>(windows).map(([w, seconds]) => [w, describe(seconds)]));

describe("access window choices", () => {
  it("articles: 24 hours, 7 days, 30 days, Forever", () => {
    expect(labels(ARTICLE_WINDOWS, articleWindowLabel)).toEqual({
      "24h": "24 hours",
      "7d": "7 days",
      "30d": "30 days",
      forever: "Forever",
    });
  });

  it("data endpoints: every request paid, or one payment for a while", () => {
    expect(labels(DATA_WINDOWS, dataWindowLabel)).toEqual({
      "per-request": "Every request is paid",
      "24h": "One payment, 24 hours of access",
      "7d": "One payment, 7 days of access",
      "30d": "One payment, 30 days of access",
    });
  });
});

describe("statusLabel", () => {
  it("live while published", () => {
    expect(statusLabel({ published: true, publishedAt: "2030-01-01T00:00:00.000Z" })).toBe("Live");
    expect(statusLabel({ published: true })).toBe("Live");
  });

  it("unpublished once it has been live, draft if never", () => {
    expect(statusLabel({ published: false, publishedAt: new Date("2030-01-01") })).toBe("Unpublished");
    expect(statusLabel({ published: false, publishedAt: null })).toBe("Draft");
    expect(statusLabel({ published: false })).toBe("Draft");
  });
});
