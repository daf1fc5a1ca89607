// The saved article as a paying reader will see it, in the reader's typography.
import Link from "next/link";
import { notFound, forbidden } from "next/navigation";
import { ArticlePreview } from "@/components/studio/article-preview";
import { toArticleDto } from "@/lib/content/catalog";
import { ownArticle } from "@/lib/studio/articles";
import { pageId } from "@/lib/studio/page-params";
import { requirePublisher } from "@/lib/studio/viewer";

export const dynamic = "force-dynamic";
export const metadata = { title: "Preview" };

export default async function PreviewArticlePage({ params }: { params: Promise<{ id: string }> }) {
  const { db, publisher } = await requirePublisher();
  const owned = await ownArticle(db, publisher, pageId((await params).id));
  if (owned.kind === "not-found") notFound();
  if (owned.kind !== "ok") forbidden();
  // The owner may read the whole of their own article, so the DTO is built unlocked.
  const article = toArticleDto({ ...owned.value, publisher }, { unlocked: true });
  return (
    <div className="space-y-6">
      <p className="flex items-center justify-between rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
        <span>
          Preview of the saved version{owned.value.published ? "" : " (a draft: readers can't see it yet)"}.
        </span>
        <Link href={`/studio/articles/${owned.value.id}`} className="underline underline-offset-2">
          Back to the editor
        </Link>
      </p>
      <ArticlePreview article={article} />
    </div>
  );
}
