import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { RegularPrice } from "@/components/ui/regular-price";
import type { ArticleDto } from "@/lib/content/catalog";
import { accessLabel } from "./access";

/** One entry in the home page list: title, teaser, byline and price. Never shows the body. */
export function ArticleCard({ article }: { article: ArticleDto }) {
  const free = article.price.amount === "0";
  return (
    <li data-testid="article-card" data-slug={article.slug} className="group relative py-7">
      <h2 className="text-xl font-semibold tracking-tight text-stone-900 group-hover:text-emerald-900">
        <Link href={`/articles/${article.slug}`} className="after:absolute after:inset-0">
          {article.title}
        </Link>
      </h2>
      <p className="mt-2 font-serif text-[1.05rem] leading-7 text-stone-700">{article.teaser}</p>
      <div className="mt-3 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-stone-500">
        <span>{article.author}</span>
        <span aria-hidden>·</span>
        {free ? (
          <Badge tone="free">Free</Badge>
        ) : (
          <>
            <Badge tone="price" data-testid="article-card-price">
              {article.price.display}
            </Badge>
            <RegularPrice display={article.price.regular?.display} />
            <span>{accessLabel(article.accessWindowSeconds)}</span>
          </>
        )}
      </div>
    </li>
  );
}
