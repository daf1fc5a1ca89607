import { ResourceSalesPage } from "@/components/studio/resource-sales-page";

export const dynamic = "force-dynamic";
export const metadata = { title: "Article sales" };

export default async function ArticleSalesPage({ params }: { params: Promise<{ id: string }> }) {
  return <ResourceSalesPage kind="article" rawId={(await params).id} />;
}
