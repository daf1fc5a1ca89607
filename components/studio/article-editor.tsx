"use client";
// Writes and edits an article: title, slug, price in dollars, access window, optional teaser and
// the Markdown body, with a live preview in the reader's typography. Saves through the studio API
// (which validates everything again); publishing saves the form and makes the article live.
import { useState, type FormEvent } from "react";
import { formatPrice } from "@/lib/content/money";
import type { StudioArticle } from "@/lib/studio/articles";
import { resolveTeaser } from "@/lib/studio/teaser";
import { ARTICLE_WINDOWS, slugify, type ArticleWindow } from "@/lib/studio/validation";
import { AccessWindowField, articleWindowLabel } from "./access-window-field";
import { studioApi } from "./api-client";
import { ArticleBodyField } from "./article-body-field";
import { Field, inputClass, Notice } from "./fields";
import { PriceField, usePriceInput } from "./price-field";
import { PromotionField, usePromotionInput } from "./promotion-field";
import { PublishControls, type PublishAction } from "./publish-controls";
import { useStudioMutation } from "./use-studio-mutation";

const DONE = {
  save: "Saved.",
  publish: "Published: the article is live.",
  unpublish: "Unpublished: the article left the catalog; readers who paid can still read it.",
} as const;

type Props = { author: string } & ({ mode: "create" } | { mode: "edit"; article: StudioArticle });

export function ArticleEditor(props: Props) {
  const initial = props.mode === "edit" ? props.article : null;
  const [title, setTitle] = useState(initial?.title ?? "");
  const [slug, setSlug] = useState(initial?.slug ?? "");
  const [slugTouched, setSlugTouched] = useState(props.mode === "edit");
  const price = usePriceInput(initial?.price.dollars ?? "");
  const promotion = usePromotionInput(initial?.promotion ?? null);
  const [accessWindow, setAccessWindow] = useState<ArticleWindow>(initial?.accessWindow ?? "30d");
  const [teaser, setTeaser] = useState(initial && !initial.teaserIsDerived ? initial.teaser : "");
  const [body, setBody] = useState(initial?.body ?? "");
  const { busy, message, run, succeeded, router } = useStudioMutation<PublishAction>();
  const slugLocked = initial?.slugLocked ?? false;

  async function save(action: keyof typeof DONE = "save") {
    const fields = {
      title,
      slug,
      price: price.text,
      promotion: promotion.value(),
      accessWindow,
      teaser,
      body,
    };
    const result = await run(action, () =>
      props.mode === "create"
        ? studioApi<StudioArticle>("POST", "/api/studio/articles", fields)
        : studioApi<StudioArticle>("PATCH", `/api/studio/articles/${props.article.id}`, {
            ...fields,
            ...(slugLocked ? { slug: undefined } : {}),
            ...(action !== "save" && { published: action === "publish" }),
          }),
    );
    if (!result.ok) return;
    if (props.mode === "create") return router.push(`/studio/articles/${result.data.id}`);
    succeeded(DONE[action]);
  }

  async function remove() {
    if (props.mode !== "edit" || !window.confirm("Delete this draft? This can't be undone.")) return;
    const result = await run("delete", () => studioApi("DELETE", `/api/studio/articles/${props.article.id}`));
    if (!result.ok) return;
    router.push("/studio");
    router.refresh();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void save();
  }

  return (
    <form onSubmit={submit} className="space-y-6" data-testid="article-editor">
      <Field label="Title" htmlFor="article-title">
        <input
          id="article-title"
          className={inputClass}
          value={title}
          maxLength={200}
          required
          onChange={(e) => {
            setTitle(e.target.value);
            if (!slugTouched) setSlug(slugify(e.target.value));
          }}
        />
      </Field>

      <Field
        label="Slug"
        htmlFor="article-slug"
        hint={
          slugLocked
            ? "Fixed since the article was first published: receipts and sales are filed under it."
            : `The address: /articles/${slug || "…"}`
        }
      >
        <input
          id="article-slug"
          className={`${inputClass} font-mono`}
          value={slug}
          maxLength={120}
          required
          disabled={slugLocked}
          spellCheck={false}
          onChange={(e) => {
            setSlugTouched(true);
            setSlug(e.target.value);
          }}
        />
      </Field>

      <div className="grid gap-6 sm:grid-cols-2">
        <PriceField
          id="article-price"
          label="Price (USD, paid in USDC)"
          payer="Readers"
          example={{ value: "0.05", hint: "For example 0.05 for five cents." }}
          price={price}
        />
        <AccessWindowField
          id="article-window"
          label="Access after one payment"
          hint="Changing it affects new readers only."
          windows={ARTICLE_WINDOWS}
          describe={articleWindowLabel}
          value={accessWindow}
          onChange={setAccessWindow}
        />
      </div>

      <PromotionField id="article-promotion" promotion={promotion} />

      <Field
        label="Teaser (optional)"
        htmlFor="article-teaser"
        hint="What everyone sees before paying. Leave empty to use the body's first paragraph."
      >
        <textarea
          id="article-teaser"
          className={inputClass}
          rows={2}
          maxLength={600}
          value={teaser}
          onChange={(e) => setTeaser(e.target.value)}
        />
      </Field>

      <ArticleBodyField
        body={body}
        onChange={setBody}
        preview={(tree) => ({
          slug,
          title: title || "Untitled",
          teaser: resolveTeaser(teaser, tree),
          author: props.author,
          price: {
            amount: price.check?.ok ? price.check.value.toString() : "0",
            display: price.check?.ok ? formatPrice(price.check.value) : "No price yet",
          },
          accessWindowSeconds: ARTICLE_WINDOWS[accessWindow],
          body,
          bodyTree: tree,
        })}
      />

      {message && <Notice tone={message.tone}>{message.text}</Notice>}

      <PublishControls
        kind="article"
        creating={props.mode === "create"}
        published={initial?.published ?? false}
        busy={busy}
        onPublish={(live) => void save(live ? "publish" : "unpublish")}
        links={
          initial
            ? [
                { href: `/studio/articles/${initial.id}/preview`, label: "Preview saved version" },
                { href: `/studio/articles/${initial.id}/sales`, label: "Sales" },
              ]
            : []
        }
        remove={initial && !slugLocked ? { label: "Delete draft", onClick: () => void remove() } : null}
      />
    </form>
  );
}
