import type { NextConfig } from "next";

/** Requests that ask for Markdown (agents); a page cannot answer 402, so they go to the API route. */
const ASKS_FOR_MARKDOWN = { type: "header" as const, key: "accept", value: ".*text/markdown.*" };

const nextConfig: NextConfig = {
  // PGlite ships its own WASM and data files; bundling it doubles the server output for nothing.
  serverExternalPackages: ["@electric-sql/pglite", "pg"],
  poweredByHeader: false,
  reactStrictMode: true,
  // forbidden() in studio pages: another publisher's article answers a real 403, not a 200 page.
  experimental: { authInterrupts: true },
  // An article page asked for as Markdown is answered by its API route, which serves the same
  // purchase as Markdown: the free text, or the 402 with the teaser, or the text once paid.
  // Before the filesystem routes, so the page never renders for such a request. proxy.ts runs
  // first and sees the page's path, so the page-path receipt cookie is checked as for the page.
  async rewrites() {
    return {
      beforeFiles: [
        { source: "/articles/:slug", has: [ASKS_FOR_MARKDOWN], destination: "/api/articles/:slug" },
      ],
      afterFiles: [],
      fallback: [],
    };
  },
  // The HTML page names its other forms, and says that its answer depends on Accept.
  async headers() {
    return [
      {
        source: "/articles/:slug",
        missing: [ASKS_FOR_MARKDOWN],
        headers: [
          {
            key: "link",
            value:
              '</articles/:slug>; rel="alternate"; type="text/markdown", </api/articles/:slug>; rel="alternate"; type="application/json"',
          },
          { key: "vary", value: "Accept" },
        ],
      },
    ];
  },
};

export default nextConfig;
