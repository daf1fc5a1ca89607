import { ArticleEditor } from "@/components/studio/article-editor";
import { requirePublisher } from "@/lib/studio/viewer";

export const dynamic = "force-dynamic";
export const metadata = { title: "New article" };

export default async function NewArticlePage() {
  const { publisher } = await requirePublisher();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight text-stone-900">New article</h1>
      <ArticleEditor mode="create" author={publisher.name} />
    </div>
  );
}
