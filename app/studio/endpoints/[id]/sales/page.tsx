import { ResourceSalesPage } from "@/components/studio/resource-sales-page";

export const dynamic = "force-dynamic";
export const metadata = { title: "Endpoint sales" };

export default async function EndpointSalesPage({ params }: { params: Promise<{ id: string }> }) {
  return <ResourceSalesPage kind="endpoint" rawId={(await params).id} />;
}
