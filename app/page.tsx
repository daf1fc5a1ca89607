import { ForAgents } from "@/components/agents/for-agents";
import { ArticleCard } from "@/components/article/article-card";
import { Badge } from "@/components/ui/badge";
import { RegularPrice } from "@/components/ui/regular-price";
import { articleResource, dataResource, toArticleDto } from "@/lib/content/catalog";
import { formatAccessWindow, formatPrice } from "@/lib/content/money";
import { priceAt, runningPromotion } from "@/lib/content/pricing";
import {
  articleCursorSchema,
  dataCursorSchema,
  DEFAULT_PAGE_SIZE,
  encodeCursor,
  parsePageQuery,
} from "@/lib/content/pagination";
import { getDb } from "@/lib/db";
import { listDataEndpoints, listPublishedArticles } from "@/lib/db/queries";
import { env } from "@/lib/env";
import { baseUrlForPage } from "@/lib/http/origin";
import type { Metadata } from "next";
import { headers } from "next/headers";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const origin = baseUrlForPage(env().publicUrl, await headers());
  return { metadataBase: new URL(origin), alternates: { canonical: "/" } };
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function HomePage({ searchParams }: Props) {
  // Pages of 50, as in the API: `?cursor=` pages the articles, `?data_cursor=` the endpoints. A
  // cursor this server did not give out shows the first page (a person followed an old link).
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(await searchParams)) if (typeof v === "string") params.set(k, v);
  const pageOf = <C,>(query: ReturnType<typeof parsePageQuery<C>>) =>
    query.kind === "ok" ? query.page : { limit: DEFAULT_PAGE_SIZE, after: null };
  const origin = baseUrlForPage(env().publicUrl, await headers());
  const db = await getDb();
  const now = new Date();
  const [{ rows: articles, next: moreArticles }, { rows: endpoints, next: moreEndpoints }] =
    await Promise.all([
      listPublishedArticles(db, pageOf(parsePageQuery(params, articleCursorSchema))),
      listDataEndpoints(db, pageOf(parsePageQuery(params, dataCursorSchema, "data_cursor"))),
    ]);

  // A priced article to show the 402 on, in the agents' example.
  const sample = articles.find((row) => row.priceAtomic > 0n);
  const samplePath = sample ? articleResource(sample).apiPath : null;

  return (
    <>
      <section className="mb-6">
        <h1 className="text-3xl font-semibold tracking-tight text-stone-900">Pay for what you read.</h1>
        <p className="mt-3 max-w-prose font-serif text-lg leading-8 text-stone-700">
          Essays and reporting sold one piece at a time, for a few cents in USDC. No account, no subscription:
          your wallet pays the writer directly, and each price says how long the article stays yours.
        </p>
        <p className="mt-3 text-sm text-stone-600" data-testid="publish-hint">
          Writing or selling data? Sign in to the{" "}
          <a href="/studio" className="underline underline-offset-2 hover:text-stone-900">
            studio
          </a>{" "}
          with your wallet, set a price, and publish: sales are paid to your address.
        </p>
      </section>

      <ul className="divide-y divide-stone-200" aria-label="Articles">
        {articles.map((row) => (
          // The locked DTO: a card shows no body, and a priced one has none to show.
          <ArticleCard key={row.id} article={toArticleDto(row, { unlocked: false, now })} />
        ))}
      </ul>
      {articles.length === 0 && <p className="py-10 text-stone-500">Nothing published yet.</p>}
      {moreArticles && (
        <p className="mt-4">
          <a
            data-testid="more-articles"
            className="text-sm underline underline-offset-2"
            href={`/?cursor=${encodeCursor(moreArticles)}`}
          >
            Older articles
          </a>
        </p>
      )}

      <ForAgents origin={origin} sample={samplePath} />

      <section id="data" className="mt-16 rounded-xl border border-stone-200 bg-white p-6 sm:p-8">
        <h2 className="text-xl font-semibold tracking-tight text-stone-900">Data for agents</h2>
        <p className="mt-2 text-sm leading-6 text-stone-600">
          Datasets priced per request or per access window, paid over{" "}
          <a className="underline underline-offset-2" href="https://www.x402.org/" rel="noopener noreferrer">
            x402
          </a>
          : request one, get a <code className="font-mono text-[0.9em]">402</code> with the price, sign,
          retry. The catalog is free at <code className="font-mono text-[0.9em]">/api/data</code> (and
          articles at <code className="font-mono text-[0.9em]">/api/articles</code>).
        </p>
        <ul className="mt-5 divide-y divide-stone-100" aria-label="Data endpoints">
          {endpoints.map((row) => {
            const resource = dataResource(row);
            return (
              <li key={row.id} data-testid="data-endpoint" data-path={row.path} className="py-4">
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <span className="font-medium text-stone-900">{row.name}</span>
                  <span className="flex items-center gap-2 text-xs text-stone-500">
                    <Badge tone={row.priceAtomic === 0n ? "free" : "price"}>
                      {formatPrice(priceAt(resource, now))}
                    </Badge>
                    <RegularPrice
                      display={runningPromotion(resource, now) ? formatPrice(row.priceAtomic) : undefined}
                    />
                    {row.priceAtomic === 0n
                      ? null
                      : row.accessWindowSeconds === null
                        ? "per request"
                        : `${formatAccessWindow(row.accessWindowSeconds)} of access`}
                  </span>
                </div>
                <p className="mt-1 text-sm text-stone-600">{row.description}</p>
                <code className="mt-2 block font-mono text-xs text-stone-500">
                  GET {resource.apiPath} · {row.contentType}
                </code>
              </li>
            );
          })}
        </ul>
        {moreEndpoints && (
          <a
            data-testid="more-endpoints"
            className="mt-4 inline-block text-sm underline underline-offset-2"
            href={`/?data_cursor=${encodeCursor(moreEndpoints)}#data`}
          >
            More data endpoints
          </a>
        )}
      </section>
    </>
  );
}
