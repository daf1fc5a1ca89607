// Every cookie Kiosk reads or sets, in one place: the receipt cookie (proof of payment, scoped to one
// resource's page and API path), the studio session cookie and the reader session cookie (a wallet
// signed in to restore its purchases; separate from the studio's). Reading works on a plain Request's
// Cookie header (route handlers under test, the paid path, studio routes) rather than Next's
// cookies() helper. Both cookies are HttpOnly (no script reads them) and SameSite=Lax (a cross-site
// POST never carries them).
// How long a studio session lasts. It lives here rather than in the session module, which is
// server-only, so that the receipt check (and the e2e specs that mint receipts) can import this file.
export const SESSION_TTL_SECONDS = 12 * 60 * 60;
/**
 * How long a reader stays signed in to restore purchases. Longer than the studio's: it opens only
 * what the wallet already paid for, and it is not revocable server-side (signing out clears it).
 */
export const READER_SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;

export const RECEIPT_COOKIE = "kiosk_receipt";
/** The session cookie's name on plain http (a developer's localhost). */
export const SESSION_COOKIE = "kiosk_studio";
/**
 * On https: the browser only accepts a `__Host-` cookie set by this very host, with Secure,
 * Path=/ and no Domain, so a sibling subdomain can't plant a session of its own (fixation).
 */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

/** Browsers send at most a few KB; a longer header is junk and is not scanned. */
const MAX_COOKIE_HEADER = 16_384;

/** One cookie's value from a Cookie header, or null. */
export function readCookie(header: string | null | undefined, name: string): string | null {
  if (!header || header.length > MAX_COOKIE_HEADER) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    if (!value) return null;
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return null;
}

/** A Set-Cookie value for an HttpOnly, SameSite=Lax cookie on this host only (no Domain). */
function setCookie(
  name: string,
  value: string,
  o: { path: string; maxAge: number; secure: boolean },
): string {
  return [
    `${name}=${value}`,
    `Path=${o.path}`,
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${o.maxAge}`,
    ...(o.secure ? ["Secure"] : []),
  ].join("; ");
}

/** The receipt cookie for one of the resource's paths; Secure when the site is served over https. */
export function receiptCookie(token: string, o: { path: string; maxAge: number; secure: boolean }): string {
  return setCookie(RECEIPT_COOKIE, token, o);
}

export function sessionCookieName({ secure }: { secure: boolean }): string {
  return secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

/**
 * The studio session: SameSite=Lax is the first half of the CSRF defence (the Origin check is the
 * second), Path=/ (pages under /studio and the API under /api/studio and /api/auth all need it),
 * no Domain (this host only); on https Secure and the `__Host-` name.
 */
export function sessionCookie(token: string, { secure }: { secure: boolean }): string {
  return setCookie(sessionCookieName({ secure }), token, { path: "/", maxAge: SESSION_TTL_SECONDS, secure });
}

export function clearedSessionCookie({ secure }: { secure: boolean }): string {
  return setCookie(sessionCookieName({ secure }), "", { path: "/", maxAge: 0, secure });
}

/** The session token a request carries, under the name the site's scheme gives it. */
export function sessionTokenFrom(req: Request, site: { secure: boolean }): string | null {
  return readCookie(req.headers.get("cookie"), sessionCookieName(site));
}

/** The reader session's name on plain http; `__Host-` on https, for the same reason as the studio's. */
export const READER_COOKIE = "kiosk_reader";

export function readerCookieName({ secure }: { secure: boolean }): string {
  return secure ? `__Host-${READER_COOKIE}` : READER_COOKIE;
}

/** The reader session: Path=/ (every article page and API path, and /library), this host only. */
export function readerCookie(token: string, { secure }: { secure: boolean }): string {
  return setCookie(readerCookieName({ secure }), token, {
    path: "/",
    maxAge: READER_SESSION_TTL_SECONDS,
    secure,
  });
}

export function clearedReaderCookie({ secure }: { secure: boolean }): string {
  return setCookie(readerCookieName({ secure }), "", { path: "/", maxAge: 0, secure });
}

/** The reader session token in a Cookie header, under the name the site's scheme gives it. */
export function readerTokenFrom(
  cookieHeader: string | null | undefined,
  site: { secure: boolean },
): string | null {
  return readCookie(cookieHeader, readerCookieName(site));
}
