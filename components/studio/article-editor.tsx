"use client";
// Writes and edits an article: title, slug, price in dollars, access window, optional teaser and
// the Markdown body, with a live preview in the reader's typography. Saves through the studio API
// (which validates everything again); publishing saves the form and makes the article live.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState, type FormEvent } from "react";
import { formatPrice } from "@/lib/content/money";
import type { StudioArticle } from "@/lib/studio/articles";
import { MAX_BODY_CHARS, MAX_NESTING, parseBody } from "@/lib/content/markdown";
import { resolveTeaser } from "@/lib/studio/teaser";
import { ARTICLE_WINDOWS, firstIssue, priceSchema, type ArticleWindow } from "@/lib/studio/validation";
import { studioApi } from "./api-client";
import { ArticlePreview } from "./article-preview";
import { Field, inputClass, Notice, PrimaryButton, SecondaryButton } from "./fields";

const WINDOW_LABELS: Record<ArticleWindow, string> = {
  "24h": "24 hours",
  "7d": "7 days",
  "30d": "30 days",
  forever: "Forever",
};

/** "Tide Tables, Explained!" → "tide-tables-explained" */
export function slugify(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
}

type Props = { author: string } & ({ mode: "create" } | { mode: "edit"; article: StudioArticle });

export function ArticleEditor(props: Props) {
  const router = useRouter();
  const initial = props.mode === "edit" ? props.article : null;
  const [title, setTitle] = useState(initial?.title ?? "");
  const [slug, setSlug] = useState(initial?.slug ?? "");
  const [slugTouched, setSlugTouched] = useState(props.mode === "edit");
  const [price, setPrice] = useState(initial?.price.dollars ?? "");
  const [accessWindow, setAccessWindow] = useState<ArticleWindow>(initial?.accessWindow ?? "30d");
  const [teaser, setTeaser] = useState(initial && !initial.teaserIsDerived ? initial.teaser : "");
  const [body, setBody] = useState(initial?.body ?? "");
  const [tab, setTab] = useState<"write" | "preview">("write");
  const [busy, setBusy] = useState<null | "save" | "publish" | "unpublish" | "delete">(null);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);

  const priceCheck = useMemo(() => {
    if (price.trim() === "") return null;
    const parsed = priceSchema.safeParse(price);
    return parsed.success
      ? { ok: true as const, value: parsed.data }
      : { ok: false as const, message: firstIssue(parsed.error) };
  }, [price]);

  // The preview parses in the publisher's browser with the save's own rules, so a body the save
  // would refuse shows the reason here instead of a preview.
  const parsedBody = useMemo(() => (tab === "preview" ? parseBody(body) : null), [tab, body]);

  const fields = () => ({ title, slug, price, accessWindow, teaser, body });

  async function save(
    extra: { published?: boolean } = {},
    action: "save" | "publish" | "unpublish" = "save",
  ) {
    setBusy(action);
    setMessage(null);
    const result =
      props.mode === "create"
        ? await studioApi<StudioArticle>("POST", "/api/studio/articles", fields())
        : await studioApi<StudioArticle>("PATCH", `/api/studio/articles/${props.article.id}`, {
            ...fields(),
            ...(props.article.slugLocked ? { slug: undefined } : {}),
            ...extra,
          });
    setBusy(null);
    if (!result.ok) return setMessage({ tone: "error", text: result.message });
    if (props.mode === "create") {
      router.push(`/studio/articles/${result.data.id}`);
      return;
    }
    setMessage({
      tone: "success",
      text:
        action === "publish"
          ? "Published: the article is live."
          : action === "unpublish"
            ? "Unpublished: the article left the catalog; readers who paid can still read it."
            : "Saved.",
    });
    router.refresh();
  }

  async function remove() {
    if (props.mode !== "edit" || !window.confirm("Delete this draft? This can't be undone.")) return;
    setBusy("delete");
    const result = await studioApi("DELETE", `/api/studio/articles/${props.article.id}`);
    setBusy(null);
    if (!result.ok) return setMessage({ tone: "error", text: result.message });
    router.push("/studio");
    router.refresh();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void save();
  }

  const published = props.mode === "edit" && props.article.published;
  const slugLocked = props.mode === "edit" && props.article.slugLocked;

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
        <Field
          label="Price (USD, paid in USDC)"
          htmlFor="article-price"
          error={priceCheck && !priceCheck.ok ? priceCheck.message : null}
          hint={
            priceCheck?.ok
              ? `Readers pay ${formatPrice(priceCheck.value)}.`
              : "For example 0.05 for five cents."
          }
        >
          <div className="relative">
            <span className="pointer-events-none absolute inset-y-0 left-3 flex items-center text-sm text-stone-500">
              $
            </span>
            <input
              id="article-price"
              className={`${inputClass} pl-7 tabular-nums`}
              value={price}
              inputMode="decimal"
              placeholder="0.05"
              required
              onChange={(e) => setPrice(e.target.value)}
            />
          </div>
        </Field>
        <Field
          label="Access after one payment"
          htmlFor="article-window"
          hint="Changing it affects new readers only."
        >
          <select
            id="article-window"
            className={inputClass}
            value={accessWindow}
            onChange={(e) => setAccessWindow(e.target.value as ArticleWindow)}
          >
            {(Object.keys(ARTICLE_WINDOWS) as ArticleWindow[]).map((w) => (
              <option key={w} value={w}>
                {WINDOW_LABELS[w]}
              </option>
            ))}
          </select>
        </Field>
      </div>

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

      <div className="space-y-1.5">
        <div className="flex items-end justify-between">
          <label htmlFor="article-body" className="block text-sm font-medium text-stone-800">
            Body (Markdown)
          </label>
          <div role="tablist" className="flex gap-1 text-sm">
            {(["write", "preview"] as const).map((t) => (
              <button
                key={t}
                type="button"
                role="tab"
                aria-selected={tab === t}
                data-testid={`article-tab-${t}`}
                onClick={() => setTab(t)}
                className={`rounded-md px-3 py-1 ${tab === t ? "bg-stone-900 text-white" : "text-stone-600 hover:bg-stone-100"}`}
              >
                {t === "write" ? "Write" : "Preview"}
              </button>
            ))}
          </div>
        </div>
        {tab === "write" ? (
          <textarea
            id="article-body"
            className={`${inputClass} min-h-80 font-mono leading-6`}
            value={body}
            required
            onChange={(e) => setBody(e.target.value)}
          />
        ) : parsedBody?.kind !== "ok" ? (
          <Notice tone="error">{parsedBody?.message ?? ""}</Notice>
        ) : (
          <div className="rounded-md border border-stone-200 bg-stone-50 p-5 sm:p-8">
            <ArticlePreview
              article={{
                slug,
                title: title || "Untitled",
                teaser: resolveTeaser(teaser, parsedBody.tree),
                author: props.author,
                price: {
                  amount: priceCheck?.ok ? priceCheck.value.toString() : "0",
                  display: priceCheck?.ok ? formatPrice(priceCheck.value) : "No price yet",
                },
                accessWindowSeconds: ARTICLE_WINDOWS[accessWindow],
                body,
                bodyTree: parsedBody.tree,
              }}
            />
          </div>
        )}
        <p className="text-xs text-stone-500">
          Headings (#, ##), *emphasis*, **bold**, `code`, [links](https://…), lists, &gt; quotes, ``` fences
          and --- rules. HTML is left out, and only http(s) links become links. At most{" "}
          {MAX_BODY_CHARS.toLocaleString("en-US")} characters, nested at most {MAX_NESTING} deep.
        </p>
      </div>

      {message && <Notice tone={message.tone}>{message.text}</Notice>}

      <div className="flex flex-wrap items-center gap-3 border-t border-stone-200 pt-5">
        <PrimaryButton type="submit" disabled={busy !== null} data-testid="article-save">
          {busy === "save" ? "Saving…" : props.mode === "create" ? "Save draft" : "Save changes"}
        </PrimaryButton>
        {props.mode === "edit" &&
          (published ? (
            <SecondaryButton
              type="button"
              disabled={busy !== null}
              data-testid="article-unpublish"
              onClick={() => void save({ published: false }, "unpublish")}
            >
              {busy === "unpublish" ? "Unpublishing…" : "Unpublish"}
            </SecondaryButton>
          ) : (
            <SecondaryButton
              type="button"
              disabled={busy !== null}
              data-testid="article-publish"
              onClick={() => void save({ published: true }, "publish")}
            >
              {busy === "publish" ? "Publishing…" : "Save and publish"}
            </SecondaryButton>
          ))}
        {props.mode === "edit" && (
          <>
            <Link
              href={`/studio/articles/${props.article.id}/preview`}
              className="text-sm text-stone-600 underline underline-offset-2 hover:text-stone-900"
            >
              Preview saved version
            </Link>
            <Link
              href={`/studio/articles/${props.article.id}/sales`}
              className="text-sm text-stone-600 underline underline-offset-2 hover:text-stone-900"
            >
              Sales
            </Link>
            {!slugLocked && (
              <button
                type="button"
                onClick={() => void remove()}
                disabled={busy !== null}
                className="ml-auto text-sm text-red-700 hover:underline"
                data-testid="article-delete"
              >
                Delete draft
              </button>
            )}
          </>
        )}
      </div>
    </form>
  );
}
