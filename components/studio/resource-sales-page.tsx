// The sales page of one article or one data endpoint (server component); the two routes differ
// only in which kind they scope to.
import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { SalesReportView } from "@/components/studio/sales-report";
import { env } from "@/lib/env";
import { refundSetup } from "@/lib/studio/refund-setup";
import { pageId } from "@/lib/studio/page-params";
import { loadSalesReport } from "@/lib/studio/report";
import { salesScope } from "@/lib/studio/scope";
import { requirePublisher } from "@/lib/studio/viewer";

const labels = {
  article: { segment: "articles", name: "Article" },
  endpoint: { segment: "endpoints", name: "Data endpoint" },
} as const;

export async function ResourceSalesPage({ kind, rawId }: { kind: "article" | "endpoint"; rawId: string }) {
  const { db, publisher } = await requirePublisher();
  const id = pageId(rawId);
  const scope = await salesScope(db, publisher, { kind, id });
  if (scope.kind === "not-found") notFound();
  if (scope.kind !== "ok") forbidden();
  const report = await loadSalesReport(db, scope.value.keys);
  const { segment, name } = labels[kind];
  return (
    <div className="space-y-6">
      <header>
        <p className="text-sm text-stone-500">
          <Link href={`/studio/${segment}/${id}`} className="underline underline-offset-2">
            {name}
          </Link>{" "}
          · sales
        </p>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight text-stone-900" data-testid="sales-title">
          {scope.value.title}
        </h1>
      </header>
      <SalesReportView
        report={report}
        csvHref={`/api/studio/${segment}/${id}/sales.csv`}
        explorerTxUrl={env().network.explorerTxUrl}
        refunds={refundSetup(publisher)}
      />
    </div>
  );
}
