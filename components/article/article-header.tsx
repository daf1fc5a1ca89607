import { Badge } from "@/components/ui/badge";
import { RegularPrice } from "@/components/ui/regular-price";
import type { ArticleDto } from "@/lib/content/catalog";
import { accessLabel } from "./access";

/** Title, byline, and what the article costs: "$0.05 · read for 30 days", or "Free". */
export function ArticleHeader({ article }: { article: ArticleDto }) {
  const free = article.price.amount === "0";
  return (
    <header className="mb-8">
      <h1 className="text-3xl font-semibold tracking-tight text-balance text-stone-900 sm:text-4xl">
        {article.title}
      </h1>
      <div className="mt-4 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-stone-600">
        <span data-testid="article-author">{`By ${article.author}`}</span>
        <span aria-hidden>·</span>
        <span className="inline-flex items-center gap-2">
          <Badge tone={free ? "free" : "price"} data-testid="article-price">
            {article.price.display}
          </Badge>
          <RegularPrice display={article.price.regular?.display} />
          {!free && <span data-testid="article-access">{accessLabel(article.accessWindowSeconds)}</span>}
        </span>
      </div>
    </header>
  );
}
