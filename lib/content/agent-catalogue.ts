// The catalogue as the MCP tools list and search it: every published article and dataset with
// its price and where to read it, from the cached catalogue entries (public fields only: a
// priced article's body is not in an entry). Pure.
import type { CatalogueEntry } from "./catalog";
import { formatUsdc, toUsdcDecimal } from "./money";
import { parseResourceKey } from "./resource-keys";

type Price = { amount: string; usd: string; display: string };

export type AgentArticle = {
  slug: string;
  title: string;
  author: string;
  teaser: string;
  free: boolean;
  price: Price;
  /** null: a purchase reads forever. */
  accessWindowSeconds: number | null;
  publishedAt: string | null;
  /** The page (HTML, or Markdown with `Accept: text/markdown`) and the JSON API route. */
  url: string;
  apiUrl: string;
};

export type AgentDataset = {
  path: string;
  name: string;
  description: string;
  mimeType: string;
  free: boolean;
  price: Price;
  /** null: each request is paid for. */
  accessWindowSeconds: number | null;
  apiUrl: string;
};

export type AgentCatalogue = { articles: AgentArticle[]; datasets: AgentDataset[] };

const priceOf = (atomic: bigint): Price => ({
  amount: atomic.toString(),
  usd: toUsdcDecimal(atomic),
  display: atomic === 0n ? "free" : formatUsdc(atomic),
});

export function agentCatalogue(entries: readonly CatalogueEntry[], origin: string): AgentCatalogue {
  const out: AgentCatalogue = { articles: [], datasets: [] };
  for (const entry of entries) {
    const r = entry.resource;
    const ref = parseResourceKey(r.key);
    if (ref?.kind === "article")
      out.articles.push({
        slug: ref.slug,
        title: r.title,
        author: r.publisherName,
        teaser: entry.teaser ?? "",
        free: r.priceAtomic === 0n,
        price: priceOf(r.priceAtomic),
        accessWindowSeconds: r.accessWindowSeconds,
        publishedAt: entry.publishedAt?.toISOString() ?? null,
        url: origin + (r.pagePath ?? r.apiPath),
        apiUrl: origin + r.apiPath,
      });
    else if (ref?.kind === "data")
      out.datasets.push({
        path: ref.path,
        name: r.title,
        description: r.description,
        mimeType: r.mimeType,
        free: r.priceAtomic === 0n,
        price: priceOf(r.priceAtomic),
        accessWindowSeconds: r.accessWindowSeconds,
        apiUrl: origin + r.apiPath,
      });
  }
  return out;
}

/**
 * The articles whose title or teaser, and the datasets whose name or description, contain every
 * word of the query (case- and accent-insensitive), in catalogue order.
 */
export function searchCatalogue(catalogue: AgentCatalogue, query: string): AgentCatalogue {
  const words = fold(query).split(/\s+/).filter(Boolean);
  const matches = (...fields: string[]) => {
    const text = fold(fields.join(" "));
    return words.every((w) => text.includes(w));
  };
  return {
    articles: catalogue.articles.filter((a) => matches(a.title, a.teaser)),
    datasets: catalogue.datasets.filter((d) => matches(d.name, d.description)),
  };
}

const fold = (s: string) => s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
