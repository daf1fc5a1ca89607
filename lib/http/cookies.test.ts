// The cookies Kiosk reads and sets: reading one out of a header, and the session cookie's name and
// attributes on https (`__Host-`) and on plain http.
import { describe, expect, it } from "vitest";
import { SESSION_TTL_SECONDS } from "../studio/session";
import { clearedSessionCookie, readCookie, sessionCookie } from "./cookies";

describe("reading", () => {
  it("reads one cookie out of a Cookie header", () => {
    expect(readCookie("a=1; kiosk_studio=tok.en.x; b=2", "kiosk_studio")).toBe("tok.en.x");
    expect(readCookie("kiosk_studio_other=1", "kiosk_studio")).toBeNull();
    expect(readCookie(null, "kiosk_studio")).toBeNull();
  });
});

describe("session cookie", () => {
  it("on https is __Host- prefixed: Secure, Path=/, no Domain", () => {
    const cookie = sessionCookie("t.o.k", { secure: true });
    expect(cookie).toBe(
      `__Host-kiosk_studio=t.o.k; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_TTL_SECONDS}; Secure`,
    );
    expect(cookie).not.toMatch(/domain=/i);
    expect(clearedSessionCookie({ secure: true })).toBe(
      "__Host-kiosk_studio=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure",
    );
  });

  it("on plain http (localhost) keeps the plain name, which a browser would refuse with __Host-", () => {
    expect(sessionCookie("t.o.k", { secure: false })).toBe(
      `kiosk_studio=t.o.k; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_TTL_SECONDS}`,
    );
  });
});
