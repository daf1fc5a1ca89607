import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { accessLabel } from "@/components/article/access";
import { ArticleBody } from "@/components/article/article-body";
import { ArticleHeader } from "@/components/article/article-header";
import { LockedPanel } from "@/components/article/locked-panel";
import { Markdown } from "@/components/article/markdown";
import { UnlockButton } from "@/components/paywall/unlock-button";
import { RestoreButton } from "@/components/reader/restore-button";
import { articleEntry, articleResource, toArticleDto } from "@/lib/content/catalog";
import { catalogFor } from "@/lib/content/catalog-cache";
import { articleSlugSchema } from "@/lib/content/resource-keys";
import { newsArticleLd, scriptSafeJson } from "@/lib/content/seo";
import { walletChainConfig } from "@/lib/wallet-chain-config";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { baseUrlForPage } from "@/lib/http/origin";
import { readerOfPage } from "@/lib/http/reader";
import { holdsReceipt } from "@/lib/payments/revocations";
import { nonceOf } from "@/lib/security-headers";
import { headers } from "next/headers";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }> };

// From the catalogue cache (no query once warm), shared by generateMetadata and the page. An unpublished article is
// found only for a reader whose receipt says they paid for it; everyone else gets the 404.
const loadArticle = cache(async (slug: string) => {
  const parsed = articleSlugSchema.safeParse(slug);
  if (!parsed.success) return null;
  const row = await catalogFor(await getDb()).article(parsed.data);
  if (!row || row.published || (await readerHolds(articleResource(row).key))) return row;
  return null;
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const row = await loadArticle((await params).slug);
  if (!row) return { title: "Not found" };
  const origin = baseUrlForPage(env().publicUrl, await headers());
  const entry = articleEntry(row);
  const url = articleResource(row).pagePath!;
  // The share card itself comes from opengraph-image.tsx and twitter-image.tsx beside this page.
  return {
    metadataBase: new URL(origin),
    title: row.title,
    description: row.teaser,
    alternates: { canonical: url },
    openGraph: {
      type: "article",
      siteName: "Kiosk",
      title: row.title,
      description: row.teaser,
      url,
      authors: [row.publisher.name],
      publishedTime: (entry.publishedAt ?? entry.lastModified).toISOString(),
      modifiedTime: entry.lastModified.toISOString(),
    },
    twitter: { card: "summary_large_image", title: row.title, description: row.teaser },
  };
}

export default async function ArticlePage({ params }: Props) {
  const row = await loadArticle((await params).slug);
  if (!row) notFound();
  // Render only from the DTO: for a locked article its body is null, so the full text can't reach
  // the HTML or the RSC payload. The page checks the receipt itself (proxy.ts is never the only gate).
  const resource = articleResource(row);
  const unlocked = row.priceAtomic > 0n && (await readerHolds(resource.key));
  const article = toArticleDto(row, { unlocked });
  const requestHeaders = await headers();
  const reader = unlocked ? null : await readerOfPage(requestHeaders);
  // schema.org markup from the catalogue's public fields (teaser, never the body); an inline
  // script needs this request's CSP nonce, and its JSON is escaped so it cannot close the tag.
  const origin = baseUrlForPage(env().publicUrl, requestHeaders);
  const ld = newsArticleLd(articleEntry(row), origin, {
    image: `${origin}${resource.pagePath}/opengraph-image`,
  });

  return (
    <article>
      <script
        type="application/ld+json"
        nonce={nonceOf(requestHeaders.get("content-security-policy"))}
        dangerouslySetInnerHTML={{ __html: scriptSafeJson(ld) }}
      />
      <ArticleHeader article={article} />
      <p data-testid="article-teaser" className="max-w-prose font-serif text-xl leading-9 text-stone-700">
        {article.teaser}
      </p>
      {article.bodyTree !== null ? (
        <ArticleBody className="mt-8 max-w-prose font-serif text-[1.125rem] leading-8 text-stone-800">
          <Markdown tree={article.bodyTree} />
        </ArticleBody>
      ) : (
        <LockedPanel
          price={article.price.display}
          regularPrice={article.price.regular?.display}
          access={accessLabel(article.accessWindowSeconds)}
          apiPath={resource.apiPath}
        >
          <UnlockButton
            chainConfig={walletChainConfig()}
            apiPath={resource.apiPath}
            resourceKey={resource.key}
            price={article.price}
            access={accessLabel(article.accessWindowSeconds)}
            explorerTxUrl={env().network.explorerTxUrl}
          />
          <div className="mt-4 border-t border-stone-100 pt-4 text-sm text-stone-600">
            {reader ? (
              <p data-testid="reader-signed-in">
                {`Signed in as ${reader.slice(0, 6)}…${reader.slice(-4)}: this wallet has not bought this article.`}
              </p>
            ) : (
              <div className="flex flex-wrap items-center gap-3">
                <span>Bought it already, on another device?</span>
                <RestoreButton chainConfig={walletChainConfig()} />
              </div>
            )}
          </div>
        </LockedPanel>
      )}
      {unlocked ? (
        <p className="mt-10 font-sans text-sm text-stone-500">
          <a
            data-testid="receipt-download"
            href={`${resource.pagePath}/receipt`}
            download
            className="underline underline-offset-4 hover:text-stone-800"
          >
            Download the signed receipt
          </a>{" "}
          (checkable offline against this site&apos;s published keys)
        </p>
      ) : null}
    </article>
  );
}

/** The proxy's forwarded token, else Bearer, else the path-scoped receipt cookie; verified here again. */
async function readerHolds(resourceKey: string): Promise<boolean> {
  return holdsReceipt(await getDb(), await headers(), resourceKey, env().receiptSecrets);
}
