import { describe, expect, it } from "vitest";
import { accessLeft } from "./access-left";

const NOW = new Date("2031-01-01T00:00:00Z");
const after = (seconds: number) => ({
  kind: "until" as const,
  endsAt: new Date(NOW.getTime() + seconds * 1000),
});

describe("accessLeft", () => {
  it("counts down to the end of the window in its two largest units", () => {
    expect(accessLeft(after(2 * 86_400 + 3 * 3_600 + 59), NOW)).toBe("2 days 3 hours left");
    expect(accessLeft(after(86_400 + 60), NOW)).toBe("1 day left");
    expect(accessLeft(after(5 * 3_600 + 12 * 60), NOW)).toBe("5 hours 12 minutes left");
    expect(accessLeft(after(4 * 60 + 30), NOW)).toBe("4 minutes left");
    expect(accessLeft(after(30), NOW)).toBe("less than a minute left");
  });

  it("says expired once the window has run out, forever for a lasting purchase, and used for a single request", () => {
    expect(accessLeft(after(0), NOW)).toBe("expired");
    expect(accessLeft(after(-10), NOW)).toBe("expired");
    expect(accessLeft({ kind: "forever" }, NOW)).toBe("forever");
    expect(accessLeft({ kind: "once" }, NOW)).toBe("one request (used)");
  });
});
