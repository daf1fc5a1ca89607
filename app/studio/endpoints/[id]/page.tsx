import { notFound, forbidden } from "next/navigation";
import { EndpointEditor } from "@/components/studio/endpoint-editor";
import { StatusBadge } from "@/components/studio/status";
import { ownEndpoint, toStudioEndpoint } from "@/lib/studio/endpoints";
import { pageId } from "@/lib/studio/page-params";
import { salesSummary } from "@/lib/studio/sales";
import { dataKey } from "@/lib/content/resource-keys";
import { requirePublisher } from "@/lib/studio/viewer";

export const dynamic = "force-dynamic";
export const metadata = { title: "Edit data endpoint" };

export default async function EditEndpointPage({ params }: { params: Promise<{ id: string }> }) {
  const { db, publisher } = await requirePublisher();
  const owned = await ownEndpoint(db, publisher, pageId((await params).id));
  if (owned.kind === "not-found") notFound();
  if (owned.kind !== "ok") forbidden();
  const endpoint = toStudioEndpoint(owned.value);
  const { funnel } = await salesSummary(db, [dataKey(owned.value.path)]);
  return (
    <div className="space-y-6">
      <div className="flex items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight text-stone-900">Edit data endpoint</h1>
        <StatusBadge item={endpoint} />
        <code className="ml-auto font-mono text-xs text-stone-500">GET {endpoint.apiPath}</code>
      </div>
      {/* Keyed by id: a save refreshes the page, and remounting would drop the "Published" message. */}
      <EndpointEditor key={endpoint.id} mode="edit" endpoint={endpoint} paidFor={funnel.attempted > 0} />
    </div>
  );
}
