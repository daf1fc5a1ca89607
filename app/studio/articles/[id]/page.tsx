import { notFound, forbidden } from "next/navigation";
import { ArticleEditor } from "@/components/studio/article-editor";
import { StatusBadge } from "@/components/studio/status";
import { ownArticle, toStudioArticle } from "@/lib/studio/articles";
import { pageId } from "@/lib/studio/page-params";
import { requirePublisher } from "@/lib/studio/viewer";

export const dynamic = "force-dynamic";
export const metadata = { title: "Edit article" };

export default async function EditArticlePage({ params }: { params: Promise<{ id: string }> }) {
  const { db, publisher } = await requirePublisher();
  const owned = await ownArticle(db, publisher, pageId((await params).id));
  if (owned.kind === "not-found") notFound();
  if (owned.kind !== "ok") forbidden();
  const article = toStudioArticle(owned.value);
  return (
    <div className="space-y-6">
      <div className="flex items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight text-stone-900">Edit article</h1>
        <StatusBadge item={article} data-testid="article-status" />
        {article.published && (
          <a
            href={`/articles/${article.slug}`}
            className="ml-auto text-sm text-stone-600 underline underline-offset-2"
          >
            View live
          </a>
        )}
      </div>
      {/* Keyed by id, not updatedAt: a save refreshes the page, and remounting would drop the "Saved" message. */}
      <ArticleEditor key={article.id} mode="edit" article={article} author={publisher.name} />
    </div>
  );
}
