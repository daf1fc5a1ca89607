// The article body: Markdown on the Write tab, and on the Preview tab the article as a reader who
// paid will see it. The preview parses in the publisher's browser with the save's own rules, so a
// body the save would refuse shows the reason here instead of a preview.
import { useMemo, useState, type ComponentProps } from "react";
import { MAX_BODY_CHARS, MAX_NESTING, parseBody, type BodyTree } from "@/lib/content/markdown";
import { ArticlePreview } from "./article-preview";
import { inputClass, Notice } from "./fields";

type PreviewArticle = ComponentProps<typeof ArticlePreview>["article"];

export function ArticleBodyField({
  body,
  onChange,
  preview,
}: {
  body: string;
  onChange: (body: string) => void;
  /** The article around the parsed body, as the preview shows it. */
  preview: (tree: BodyTree) => PreviewArticle;
}) {
  const [tab, setTab] = useState<"write" | "preview">("write");
  const parsed = useMemo(() => (tab === "preview" ? parseBody(body) : null), [tab, body]);
  return (
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
          onChange={(e) => onChange(e.target.value)}
        />
      ) : parsed?.kind !== "ok" ? (
        <Notice tone="error">{parsed?.message ?? ""}</Notice>
      ) : (
        <div className="rounded-md border border-stone-200 bg-stone-50 p-5 sm:p-8">
          <ArticlePreview article={preview(parsed.tree)} />
        </div>
      )}
      <p className="text-xs text-stone-500">
        Headings (#, ##), *emphasis*, **bold**, `code`, [links](https://…), lists, &gt; quotes, ``` fences and
        --- rules. HTML is left out, and only http(s) links become links. At most{" "}
        {MAX_BODY_CHARS.toLocaleString("en-US")} characters, nested at most {MAX_NESTING} deep.
      </p>
    </div>
  );
}
