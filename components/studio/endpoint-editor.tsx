"use client";
// Creates and edits a priced data endpoint: name, path under /api/data/, JSON or CSV content,
// price per request and an optional access window. JSON is checked as you type and again by the
// server; the endpoint is served with the content type of its format.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState, type FormEvent } from "react";
import { formatPrice } from "@/lib/content/money";
import type { StudioEndpoint } from "@/lib/studio/endpoints";
import {
  checkDataContent,
  DATA_WINDOWS,
  firstIssue,
  priceSchema,
  type DataFormat,
  type DataWindow,
} from "@/lib/studio/validation";
import { studioApi } from "./api-client";
import { Field, inputClass, Notice, PrimaryButton, SecondaryButton } from "./fields";

const WINDOW_LABELS: Record<DataWindow, string> = {
  "per-request": "Every request is paid",
  "24h": "One payment, 24 hours of access",
  "7d": "One payment, 7 days of access",
  "30d": "One payment, 30 days of access",
};

type Props = { mode: "create" } | { mode: "edit"; endpoint: StudioEndpoint; paidFor: boolean };

export function EndpointEditor(props: Props) {
  const router = useRouter();
  const initial = props.mode === "edit" ? props.endpoint : null;
  const [name, setName] = useState(initial?.name ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");
  const [path, setPath] = useState(initial?.path ?? "");
  const [format, setFormat] = useState<DataFormat>(initial?.format ?? "json");
  const [content, setContent] = useState(initial?.content ?? "");
  const [price, setPrice] = useState(initial?.price.dollars ?? "");
  const [accessWindow, setAccessWindow] = useState<DataWindow>(initial?.accessWindow ?? "per-request");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);

  const priceCheck = useMemo(() => {
    if (price.trim() === "") return null;
    const parsed = priceSchema.safeParse(price);
    return parsed.success
      ? { ok: true as const, value: parsed.data }
      : { ok: false as const, message: firstIssue(parsed.error) };
  }, [price]);
  const contentCheck = useMemo(
    () => (content.trim() === "" ? null : checkDataContent(format, content)),
    [content, format],
  );

  const published = props.mode === "edit" && props.endpoint.published;
  const pathLocked = props.mode === "edit" && (props.endpoint.published || props.paidFor);

  async function save(extra: { published?: boolean } = {}) {
    setBusy(true);
    setMessage(null);
    const fields = {
      name,
      description,
      path: pathLocked ? undefined : path,
      format,
      content,
      price,
      accessWindow,
      ...extra,
    };
    const result =
      props.mode === "create"
        ? await studioApi<StudioEndpoint>("POST", "/api/studio/endpoints", fields)
        : await studioApi<StudioEndpoint>("PATCH", `/api/studio/endpoints/${props.endpoint.id}`, fields);
    setBusy(false);
    if (!result.ok) return setMessage({ tone: "error", text: result.message });
    if (props.mode === "create") return router.push(`/studio/endpoints/${result.data.id}`);
    setMessage({
      tone: "success",
      text:
        extra.published === true
          ? "Published: the endpoint is live."
          : extra.published === false
            ? "Unpublished: the endpoint left the catalog; readers who paid can still fetch it."
            : "Saved.",
    });
    router.refresh();
  }

  async function remove() {
    if (props.mode !== "edit" || !window.confirm("Delete this endpoint? This can't be undone.")) return;
    setBusy(true);
    const result = await studioApi("DELETE", `/api/studio/endpoints/${props.endpoint.id}`);
    setBusy(false);
    if (!result.ok) return setMessage({ tone: "error", text: result.message });
    router.push("/studio");
    router.refresh();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void save();
  }

  return (
    <form onSubmit={submit} className="space-y-6" data-testid="endpoint-editor">
      <Field label="Name" htmlFor="endpoint-name">
        <input
          id="endpoint-name"
          className={inputClass}
          value={name}
          maxLength={120}
          required
          onChange={(e) => setName(e.target.value)}
        />
      </Field>
      <Field
        label="Description (optional)"
        htmlFor="endpoint-description"
        hint="Shown in the free catalog at /api/data."
      >
        <textarea
          id="endpoint-description"
          className={inputClass}
          rows={2}
          maxLength={500}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </Field>
      <Field
        label="Path"
        htmlFor="endpoint-path"
        hint={
          pathLocked
            ? "Fixed while the endpoint is live or once someone paid for it."
            : "Lowercase letters, digits, '.', '_', '-' and '/'."
        }
      >
        <div className="flex items-stretch">
          <span className="inline-flex items-center rounded-l-md border border-r-0 border-stone-300 bg-stone-100 px-3 font-mono text-sm text-stone-600">
            /api/data/
          </span>
          <input
            id="endpoint-path"
            className={`${inputClass} rounded-l-none font-mono`}
            value={path}
            placeholder="markets/daily-volume.json"
            required
            disabled={pathLocked}
            spellCheck={false}
            onChange={(e) => setPath(e.target.value)}
          />
        </div>
      </Field>
      <div className="grid gap-6 sm:grid-cols-2">
        <Field
          label="Price per payment (USD)"
          htmlFor="endpoint-price"
          error={priceCheck && !priceCheck.ok ? priceCheck.message : null}
          hint={priceCheck?.ok ? `Clients pay ${formatPrice(priceCheck.value)}.` : "For example 0.002."}
        >
          <input
            id="endpoint-price"
            className={`${inputClass} tabular-nums`}
            value={price}
            inputMode="decimal"
            placeholder="0.002"
            required
            onChange={(e) => setPrice(e.target.value)}
          />
        </Field>
        <Field label="Access" htmlFor="endpoint-window">
          <select
            id="endpoint-window"
            className={inputClass}
            value={accessWindow}
            onChange={(e) => setAccessWindow(e.target.value as DataWindow)}
          >
            {(Object.keys(DATA_WINDOWS) as DataWindow[]).map((w) => (
              <option key={w} value={w}>
                {WINDOW_LABELS[w]}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field
        label="Format"
        htmlFor="endpoint-format"
        hint={format === "json" ? "Served as application/json." : "Served as text/csv."}
      >
        <select
          id="endpoint-format"
          className={inputClass}
          value={format}
          onChange={(e) => setFormat(e.target.value as DataFormat)}
        >
          <option value="json">JSON</option>
          <option value="csv">CSV</option>
        </select>
      </Field>
      <Field
        label="Content"
        htmlFor="endpoint-content"
        error={contentCheck && !contentCheck.ok ? contentCheck.message : null}
      >
        <textarea
          id="endpoint-content"
          className={`${inputClass} min-h-60 font-mono text-xs leading-5`}
          value={content}
          required
          spellCheck={false}
          onChange={(e) => setContent(e.target.value)}
        />
      </Field>

      {message && <Notice tone={message.tone}>{message.text}</Notice>}

      <div className="flex flex-wrap items-center gap-3 border-t border-stone-200 pt-5">
        <PrimaryButton type="submit" disabled={busy} data-testid="endpoint-save">
          {props.mode === "create" ? "Save draft" : "Save changes"}
        </PrimaryButton>
        {props.mode === "edit" && (
          <>
            <SecondaryButton
              type="button"
              disabled={busy}
              data-testid={published ? "endpoint-unpublish" : "endpoint-publish"}
              onClick={() => void save({ published: !published })}
            >
              {published ? "Unpublish" : "Save and publish"}
            </SecondaryButton>
            <Link
              href={`/studio/endpoints/${props.endpoint.id}/sales`}
              className="text-sm text-stone-600 underline underline-offset-2 hover:text-stone-900"
            >
              Sales
            </Link>
            {!props.paidFor && (
              <button
                type="button"
                onClick={() => void remove()}
                disabled={busy}
                className="ml-auto text-sm text-red-700 hover:underline"
              >
                Delete endpoint
              </button>
            )}
          </>
        )}
      </div>
    </form>
  );
}
