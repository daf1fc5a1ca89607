// One cookie's value from a Cookie header. Used where code sees a plain Request (route handlers
// under test, the paid-request wrapper, studio routes) rather than Next's cookies() helper.
/** Browsers send at most a few KB; a longer header is junk and is not scanned. */
const MAX_COOKIE_HEADER = 16_384;

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
