// GET /robots.txt → crawl the reading pages; keep out the studio, the reader's library, receipt
// downloads and the API (402s and JSON, described for agents by /.well-known/x402 instead).
import type { MetadataRoute } from "next";
import { headers } from "next/headers";
import { env } from "@/lib/env";
import { baseUrlForPage } from "@/lib/http/origin";

export const dynamic = "force-dynamic";

export default async function robots(): Promise<MetadataRoute.Robots> {
  const origin = baseUrlForPage(env().publicUrl, await headers());
  return {
    rules: {
      userAgent: "*",
      allow: "/",
      disallow: ["/studio", "/library", "/api/", "/articles/*/receipt"],
    },
    sitemap: `${origin}/sitemap.xml`,
  };
}
