// The base URL that absolute URLs in responses start with: PUBLIC_URL, else the host the client asked for.
import { describe, expect, it } from "vitest";
import { baseUrlFor } from "./origin";

describe("baseUrlFor", () => {
  const req = (headers: Record<string, string>) =>
    new Request("http://localhost:3000/api/articles", { headers });

  it("prefers PUBLIC_URL", () => {
    expect(baseUrlFor("https://kiosk.example", req({ host: "other.example" }))).toBe("https://kiosk.example");
  });

  it("uses the host the client asked for, or the proxy's forwarded host and scheme", () => {
    expect(baseUrlFor(null, req({ host: "127.0.0.1:3200" }))).toBe("http://127.0.0.1:3200");
    expect(
      baseUrlFor(
        null,
        req({ host: "10.0.0.5", "x-forwarded-host": "kiosk.example", "x-forwarded-proto": "https" }),
      ),
    ).toBe("https://kiosk.example");
    expect(baseUrlFor(null, req({ host: "[::1]:3000" }))).toBe("http://[::1]:3000");
  });

  it("falls back to the request URL when the headers are unusable", () => {
    expect(baseUrlFor(null, req({ "x-forwarded-host": "evil.example/path?x" }))).toBe(
      "http://localhost:3000",
    );
    expect(baseUrlFor(null, req({ host: "kiosk.example", "x-forwarded-proto": "javascript" }))).toBe(
      "http://localhost:3000",
    );
  });
});
