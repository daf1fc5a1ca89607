import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships its own WASM and data files; bundling it doubles the server output for nothing.
  serverExternalPackages: ["@electric-sql/pglite", "pg"],
  poweredByHeader: false,
  reactStrictMode: true,
  // forbidden() in studio pages: another publisher's article answers a real 403, not a 200 page.
  experimental: { authInterrupts: true },
};

export default nextConfig;
