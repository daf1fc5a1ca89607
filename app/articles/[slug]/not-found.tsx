import Link from "next/link";

export default function ArticleNotFound() {
  return (
    <div className="py-16 text-center">
      <h1 className="text-2xl font-semibold text-stone-900">No such article</h1>
      <p className="mt-3 text-stone-600">It may have been unpublished, or the link is mistyped.</p>
      <Link href="/" className="mt-6 inline-block text-emerald-800 underline underline-offset-2">
        Back to all articles
      </Link>
    </div>
  );
}
