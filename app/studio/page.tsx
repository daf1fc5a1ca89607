// /studio: sign in (signed out), create a publisher profile (signed in, no profile), or the
// dashboard: totals, and every article and data endpoint with its sales.
import { ProfileForm } from "@/components/studio/profile-form";
import { ResourceTable } from "@/components/studio/resource-table";
import { SignInPanel } from "@/components/studio/sign-in-panel";
import { walletChainConfig } from "@/lib/wallet-chain-config";
import { formatAccessWindow, formatPrice, formatUsdc } from "@/lib/content/money";
import { articleKey, dataKey } from "@/lib/content/resource-keys";
import { listArticles } from "@/lib/studio/articles";
import { listEndpoints } from "@/lib/studio/endpoints";
import { salesByResource, salesSummary } from "@/lib/studio/sales";
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
  const salesOf = (key: string) => {
    const sales = perResource.get(key);
    return {
      sales: sales?.sales ?? 0,
      revenue: formatUsdc(sales?.revenueAtomic ?? 0n),
      refunds: sales?.refunds ?? 0,
    };
  };

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
          {totals.refunds > 0 && (
            <div>
              <dt className="text-xs text-stone-500 uppercase">Refunded</dt>
              <dd className="text-xl font-semibold tabular-nums" data-testid="studio-total-refunded">
                {formatUsdc(totals.refundedAtomic)}
              </dd>
            </div>
          )}
        </dl>
      </header>

      <ResourceTable
        id="articles-heading"
        heading="Articles"
        nameColumn="Title"
        create={{ href: "/studio/articles/new", label: "New article", testId: "new-article" }}
        empty="No articles yet."
        tableTestId="studio-articles"
        rows={articles.map((a) => ({
          key: a.id,
          attributes: { "data-testid": "studio-article-row", "data-slug": a.slug },
          name: a.title,
          href: `/studio/articles/${a.id}`,
          address: `/${a.slug}`,
          status: a,
          price: formatPrice(a.priceAtomic),
          access: formatAccessWindow(a.accessWindowSeconds),
          ...salesOf(articleKey(a.slug)),
          salesHref: `/studio/articles/${a.id}/sales`,
          viewHref: a.published ? `/articles/${a.slug}` : null,
        }))}
      />

      <ResourceTable
        id="endpoints-heading"
        heading="Data endpoints"
        nameColumn="Endpoint"
        create={{ href: "/studio/endpoints/new", label: "New data endpoint" }}
        empty="No data endpoints yet."
        tableTestId="studio-endpoints"
        rows={endpoints.map((d) => ({
          key: d.id,
          attributes: { "data-testid": "studio-endpoint-row", "data-path": d.path },
          name: d.name,
          href: `/studio/endpoints/${d.id}`,
          address: `/api/data/${d.path}`,
          status: d,
          price: formatPrice(d.priceAtomic),
          access: d.accessWindowSeconds === null ? "per request" : formatAccessWindow(d.accessWindowSeconds),
          ...salesOf(dataKey(d.path)),
          salesHref: `/studio/endpoints/${d.id}/sales`,
        }))}
      />
    </div>
  );
}
