import { EndpointEditor } from "@/components/studio/endpoint-editor";
import { requirePublisher } from "@/lib/studio/viewer";

export const dynamic = "force-dynamic";
export const metadata = { title: "New data endpoint" };

export default async function NewEndpointPage() {
  await requirePublisher();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight text-stone-900">New data endpoint</h1>
      <EndpointEditor mode="create" />
    </div>
  );
}
