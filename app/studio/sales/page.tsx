import { SalesReportView } from "@/components/studio/sales-report";
import { env } from "@/lib/env";
import { refundSetup } from "@/lib/studio/refund-setup";
import { loadSalesReport } from "@/lib/studio/report";
import { publisherKeys } from "@/lib/studio/scope";
import { requirePublisher } from "@/lib/studio/viewer";

export const dynamic = "force-dynamic";
export const metadata = { title: "All sales" };

export default async function AllSalesPage() {
  const { db, publisher } = await requirePublisher();
  const report = await loadSalesReport(db, await publisherKeys(db, publisher));
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight text-stone-900">All sales</h1>
      <SalesReportView
        report={report}
        csvHref="/api/studio/sales.csv"
        explorerTxUrl={env().network.explorerTxUrl}
        showResource
        refunds={refundSetup(publisher)}
      />
    </div>
  );
}
