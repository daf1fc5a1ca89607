// Which site a request reached, and whether it came from that site. The base URL starts every
// absolute URL a response names (listings, the 402's resource.url); the studio's origin decides the
// domain a SIWE message must name and the CSRF check on every studio mutation.
//
// PUBLIC_URL decides when it is set. Without it the origin comes from the request's Host, which the
// client chooses; that is fine on a developer's machine but would let a signature phished for
// another domain be replayed here with a forged Host. So a production server without PUBLIC_URL
// only accepts loopback hosts (the e2e stack runs that way).

/**
 * The origin that absolute URLs in a response start with: PUBLIC_URL when set (production should
 * set it), else the origin the client used. Next's `req.url` names the server's own bind address
 * ("localhost" in dev), not what the client asked for, so read the Host header (or the proxy's
 * X-Forwarded-* pair) and fall back to `req.url` when it is missing or malformed.
 */
export function baseUrlFor(publicUrl: string | null, req: Request): string {
  if (publicUrl) return publicUrl;
  const fallback = new URL(req.url);
  const host = req.headers.get("x-forwarded-host")?.split(",")[0]?.trim() ?? req.headers.get("host");
  const proto =
    req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? fallback.protocol.replace(":", "");
  if (!host || !/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i.test(host)) return fallback.origin;
  if (proto !== "http" && proto !== "https") return fallback.origin;
  return `${proto}://${host}`;
}

/** baseUrlFor for a page (a server component), which has the request's headers but no Request. */
export function baseUrlForPage(publicUrl: string | null, headers: Headers): string {
  return baseUrlFor(publicUrl, new Request("http://localhost/", { headers }));
}

export type SiteOrigin =
  | { kind: "ok"; origin: string; domain: string; secure: boolean }
  | { kind: "misconfigured"; message: string };

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function siteOrigin(
  config: { publicUrl: string | null; nodeEnv: "development" | "production" | "test" },
  req: Request,
): SiteOrigin {
  const url = new URL(baseUrlFor(config.publicUrl, req));
  if (!config.publicUrl && config.nodeEnv === "production" && !LOOPBACK.has(url.hostname)) {
    return {
      kind: "misconfigured",
      message: "Studio sign-in needs PUBLIC_URL on a production server (the site's own https origin).",
    };
  }
  return { kind: "ok", origin: url.origin, domain: url.host, secure: url.protocol === "https:" };
}

/**
 * A mutation's CSRF check (with the SameSite=Lax cookie): the browser's Origin header must be the
 * site's. Without Origin, Sec-Fetch-Site must not say cross-site. A request with neither comes
 * from something that is not a browser, which carries no ambient cookie to abuse.
 */
export function isSameOrigin(req: Request, origin: string): boolean {
  const sent = req.headers.get("origin");
  if (sent !== null) return sent === origin;
  const site = req.headers.get("sec-fetch-site");
  if (site !== null) return site === "same-origin" || site === "none";
  return true;
}
