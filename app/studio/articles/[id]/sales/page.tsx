import Link from "next/link";
import { notFound, forbidden } from "next/navigation";
import { SalesReportView } from "@/components/studio/sales-report";
import { env } from "@/lib/env";
import { pageId } from "@/lib/studio/page-params";
import { loadSalesReport } from "@/lib/studio/report";
import { salesScope } from "@/lib/studio/scope";
import { requirePublisher } from "@/lib/studio/viewer";

export const dynamic = "force-dynamic";
export const metadata = { title: "Article sales" };

export default async function ArticleSalesPage({ params }: { params: Promise<{ id: string }> }) {
  const { db, publisher } = await requirePublisher();
  const id = pageId((await params).id);
  const scope = await salesScope(db, publisher, { kind: "article", id });
  if (scope.kind === "not-found") notFound();
  if (scope.kind !== "ok") forbidden();
  const report = await loadSalesReport(db, scope.value.keys);
  return (
    <div className="space-y-6">
      <header>
        <p className="text-sm text-stone-500">
          <Link href={`/studio/articles/${id}`} className="underline underline-offset-2">
            Article
          </Link>{" "}
          · sales
        </p>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight text-stone-900" data-testid="sales-title">
          {scope.value.title}
        </h1>
      </header>
      <SalesReportView
        report={report}
        csvHref={`/api/studio/articles/${id}/sales.csv`}
        explorerTxUrl={env().network.explorerTxUrl}
      />
    </div>
  );
}
