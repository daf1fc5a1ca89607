// /studio: sign in (signed out), create a publisher profile (signed in, no profile), or the
// dashboard: totals, and every article and data endpoint with its sales.
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { ProfileForm } from "@/components/studio/profile-form";
import { SignInPanel } from "@/components/studio/sign-in-panel";
import { walletChainConfig } from "@/lib/wallet-chain-config";
import { formatAccessWindow, formatPrice, formatUsdc } from "@/lib/content/money";
import { listArticles } from "@/lib/studio/articles";
import { listEndpoints } from "@/lib/studio/endpoints";
import { salesByResource, salesSummary } from "@/lib/studio/sales";
import { articleKey, dataKey } from "@/lib/content/resource-keys";
import { getViewer } from "@/lib/studio/viewer";

export const dynamic = "force-dynamic";

export default async function StudioPage() {
  const viewer = await getViewer();

  switch (viewer.kind) {
    case "signed-out":
      return (
        <div className="space-y-6">
          <header>
            <h1 className="text-3xl font-semibold tracking-tight text-stone-900">Kiosk Studio</h1>
            <p className="mt-3 max-w-prose text-stone-600">
              Publish articles and datasets at a price per piece, and see who paid, how, and how much.
            </p>
          </header>
          <SignInPanel chainConfig={walletChainConfig()} />
        </div>
      );
    case "no-profile":
      return (
        <div className="space-y-6">
          <header>
            <h1 className="text-2xl font-semibold tracking-tight text-stone-900">
              Create your publisher profile
            </h1>
            <p className="mt-2 text-sm text-stone-600">
              You are signed in as <span className="font-mono">{viewer.wallet}</span>. One profile per wallet.
            </p>
          </header>
          <ProfileForm mode="create" wallet={viewer.wallet} />
        </div>
      );
    case "publisher":
      return <Dashboard viewer={viewer} />;
    default: {
      const unreachable: never = viewer;
      return unreachable;
    }
  }
}

async function Dashboard({
  viewer,
}: {
  viewer: Extract<Awaited<ReturnType<typeof getViewer>>, { kind: "publisher" }>;
}) {
  const { db, publisher } = viewer;
  const [articles, endpoints] = await Promise.all([
    listArticles(db, publisher),
    listEndpoints(db, publisher),
  ]);
  const keys = [...articles.map((a) => articleKey(a.slug)), ...endpoints.map((d) => dataKey(d.path))];
  const [totals, perResource] = await Promise.all([salesSummary(db, keys), salesByResource(db, keys)]);
  const cell = "px-3 py-2";

  return (
    <div className="space-y-10">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1
            className="text-2xl font-semibold tracking-tight text-stone-900"
            data-testid="studio-publisher-name"
          >
            {publisher.name}
          </h1>
          <p className="mt-1 text-xs text-stone-500">
            Payouts to <span className="font-mono">{publisher.payTo}</span>
          </p>
        </div>
        <dl className="flex gap-6 text-right">
          <div>
            <dt className="text-xs text-stone-500 uppercase">Revenue</dt>
            <dd className="text-xl font-semibold tabular-nums" data-testid="studio-total-revenue">
              {formatUsdc(totals.revenueAtomic)}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-stone-500 uppercase">Sales</dt>
            <dd className="text-xl font-semibold tabular-nums">{totals.sales}</dd>
          </div>
          <div>
            <dt className="text-xs text-stone-500 uppercase">Payers</dt>
            <dd className="text-xl font-semibold tabular-nums">{totals.uniquePayers}</dd>
          </div>
        </dl>
      </header>

      <section aria-labelledby="articles-heading">
        <div className="mb-3 flex items-baseline justify-between">
          <h2 id="articles-heading" className="text-lg font-semibold text-stone-900">
            Articles
          </h2>
          <Link
            href="/studio/articles/new"
            className="text-sm text-emerald-800 underline underline-offset-2"
            data-testid="new-article"
          >
            New article
          </Link>
        </div>
        {articles.length === 0 ? (
          <p className="rounded-xl border border-dashed border-stone-300 p-6 text-center text-sm text-stone-500">
            No articles yet.
          </p>
        ) : (
          <div className="overflow-x-auto rounded-xl border border-stone-200 bg-white">
            <table className="w-full text-left text-sm" data-testid="studio-articles">
              <thead className="border-b border-stone-200 text-xs text-stone-500 uppercase">
                <tr>
                  <th className={`${cell} font-medium`}>Title</th>
                  <th className={`${cell} font-medium`}>Status</th>
                  <th className={`${cell} font-medium`}>Price</th>
                  <th className={`${cell} text-right font-medium`}>Sales</th>
                  <th className={`${cell} text-right font-medium`}>Revenue</th>
                  <th className={cell} />
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {articles.map((a) => {
                  const sales = perResource.get(articleKey(a.slug));
                  return (
                    <tr key={a.id} data-testid="studio-article-row" data-slug={a.slug}>
                      <td className={cell}>
                        <Link
                          href={`/studio/articles/${a.id}`}
                          className="font-medium text-stone-900 hover:underline"
                        >
                          {a.title}
                        </Link>
                        <div className="font-mono text-xs text-stone-500">/{a.slug}</div>
                      </td>
                      <td className={cell}>
                        <Badge tone={a.published ? "free" : "neutral"}>
                          {a.published ? "Live" : a.publishedAt ? "Unpublished" : "Draft"}
                        </Badge>
                      </td>
                      <td className={`${cell} whitespace-nowrap tabular-nums`}>
                        {formatPrice(a.priceAtomic)}
                        <div className="text-xs text-stone-500">
                          {formatAccessWindow(a.accessWindowSeconds)}
                        </div>
                      </td>
                      <td className={`${cell} text-right tabular-nums`}>{sales?.sales ?? 0}</td>
                      <td className={`${cell} text-right tabular-nums`}>
                        {formatUsdc(sales?.revenueAtomic ?? 0n)}
                      </td>
                      <td className={`${cell} text-right whitespace-nowrap`}>
                        <Link
                          href={`/studio/articles/${a.id}/sales`}
                          className="text-emerald-800 underline underline-offset-2"
                        >
                          Sales
                        </Link>
                        {a.published && (
                          <Link
                            href={`/articles/${a.slug}`}
                            className="ml-3 text-stone-600 underline underline-offset-2"
                          >
                            View
                          </Link>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="endpoints-heading">
        <div className="mb-3 flex items-baseline justify-between">
          <h2 id="endpoints-heading" className="text-lg font-semibold text-stone-900">
            Data endpoints
          </h2>
          <Link
            href="/studio/endpoints/new"
            className="text-sm text-emerald-800 underline underline-offset-2"
          >
            New data endpoint
          </Link>
        </div>
        {endpoints.length === 0 ? (
          <p className="rounded-xl border border-dashed border-stone-300 p-6 text-center text-sm text-stone-500">
            No data endpoints yet.
          </p>
        ) : (
          <div className="overflow-x-auto rounded-xl border border-stone-200 bg-white">
            <table className="w-full text-left text-sm" data-testid="studio-endpoints">
              <thead className="border-b border-stone-200 text-xs text-stone-500 uppercase">
                <tr>
                  <th className={`${cell} font-medium`}>Endpoint</th>
                  <th className={`${cell} font-medium`}>Status</th>
                  <th className={`${cell} font-medium`}>Price</th>
                  <th className={`${cell} text-right font-medium`}>Sales</th>
                  <th className={`${cell} text-right font-medium`}>Revenue</th>
                  <th className={cell} />
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {endpoints.map((d) => {
                  const sales = perResource.get(dataKey(d.path));
                  return (
                    <tr key={d.id} data-testid="studio-endpoint-row" data-path={d.path}>
                      <td className={cell}>
                        <Link
                          href={`/studio/endpoints/${d.id}`}
                          className="font-medium text-stone-900 hover:underline"
                        >
                          {d.name}
                        </Link>
                        <div className="font-mono text-xs text-stone-500">/api/data/{d.path}</div>
                      </td>
                      <td className={cell}>
                        <Badge tone={d.published ? "free" : "neutral"}>
                          {d.published ? "Live" : "Draft"}
                        </Badge>
                      </td>
                      <td className={`${cell} whitespace-nowrap tabular-nums`}>
                        {formatPrice(d.priceAtomic)}
                        <div className="text-xs text-stone-500">
                          {d.accessWindowSeconds === null
                            ? "per request"
                            : formatAccessWindow(d.accessWindowSeconds)}
                        </div>
                      </td>
                      <td className={`${cell} text-right tabular-nums`}>{sales?.sales ?? 0}</td>
                      <td className={`${cell} text-right tabular-nums`}>
                        {formatUsdc(sales?.revenueAtomic ?? 0n)}
                      </td>
                      <td className={`${cell} text-right`}>
                        <Link
                          href={`/studio/endpoints/${d.id}/sales`}
                          className="text-emerald-800 underline underline-offset-2"
                        >
                          Sales
                        </Link>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
