// An article as a paying reader will see it: header, teaser, then the body's tree through the same
// renderer as the article page (components/article/markdown.tsx, which builds React nodes only,
// never HTML strings, so a publisher's <script>, onerror= or javascript: link is inert here too).
// Used by the editor's live preview and by the saved-article preview page (which renders the tree
// stored at save time, so opening a preview never parses Markdown on the server).
import { ArticleHeader } from "@/components/article/article-header";
import { Markdown } from "@/components/article/markdown";
import type { ArticleDto } from "@/lib/content/catalog";

export function ArticlePreview({ article }: { article: ArticleDto }) {
  return (
    <article data-testid="article-preview">
      <ArticleHeader article={article} />
      <p
        data-testid="article-preview-teaser"
        className="max-w-prose font-serif text-xl leading-9 text-stone-700"
      >
        {article.teaser}
      </p>
      <div
        className="my-8 flex items-center gap-3 text-xs font-medium tracking-wide text-stone-600 uppercase"
        aria-hidden
      >
        <span className="h-px flex-1 bg-stone-200" />
        readers who pay see the rest
        <span className="h-px flex-1 bg-stone-200" />
      </div>
      <div
        data-testid="article-preview-body"
        className="max-w-prose font-serif text-[1.125rem] leading-8 text-stone-800"
      >
        {article.bodyTree && <Markdown tree={article.bodyTree} />}
      </div>
    </article>
  );
}
