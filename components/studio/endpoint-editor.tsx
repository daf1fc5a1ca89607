"use client";
// Creates and edits a priced data endpoint: name, path under /api/data/, JSON or CSV content,
// price per request and an optional access window. JSON is checked as you type and again by the
// server; the endpoint is served with the content type of its format.
import { useMemo, useState, type FormEvent } from "react";
import type { StudioEndpoint } from "@/lib/studio/endpoints";
import { checkDataContent, DATA_WINDOWS, type DataFormat, type DataWindow } from "@/lib/studio/validation";
import { AccessWindowField, dataWindowLabel } from "./access-window-field";
import { studioApi } from "./api-client";
import { Field, inputClass, Notice } from "./fields";
import { PriceField, usePriceInput } from "./price-field";
import { PromotionField, usePromotionInput } from "./promotion-field";
import { PublishControls, type PublishAction } from "./publish-controls";
import { useStudioMutation } from "./use-studio-mutation";

const DONE = {
  save: "Saved.",
  publish: "Published: the endpoint is live.",
  unpublish: "Unpublished: the endpoint left the catalog; readers who paid can still fetch it.",
} as const;

type Props = { mode: "create" } | { mode: "edit"; endpoint: StudioEndpoint; paidFor: boolean };

export function EndpointEditor(props: Props) {
  const initial = props.mode === "edit" ? props.endpoint : null;
  const [name, setName] = useState(initial?.name ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");
  const [path, setPath] = useState(initial?.path ?? "");
  const [format, setFormat] = useState<DataFormat>(initial?.format ?? "json");
  const [content, setContent] = useState(initial?.content ?? "");
  const price = usePriceInput(initial?.price.dollars ?? "");
  const promotion = usePromotionInput(initial?.promotion ?? null);
  const [accessWindow, setAccessWindow] = useState<DataWindow>(initial?.accessWindow ?? "per-request");
  const { busy, message, run, succeeded, router } = useStudioMutation<PublishAction>();
  const contentCheck = useMemo(
    () => (content.trim() === "" ? null : checkDataContent(format, content)),
    [content, format],
  );

  const published = props.mode === "edit" && props.endpoint.published;
  const pathLocked = props.mode === "edit" && (props.endpoint.published || props.paidFor);

  async function save(action: keyof typeof DONE = "save") {
    const fields = {
      name,
      description,
      path: pathLocked ? undefined : path,
      format,
      content,
      price: price.text,
      promotion: promotion.value(),
      accessWindow,
      ...(action !== "save" && { published: action === "publish" }),
    };
    const result = await run(action, () =>
      props.mode === "create"
        ? studioApi<StudioEndpoint>("POST", "/api/studio/endpoints", fields)
        : studioApi<StudioEndpoint>("PATCH", `/api/studio/endpoints/${props.endpoint.id}`, fields),
    );
    if (!result.ok) return;
    if (props.mode === "create") return router.push(`/studio/endpoints/${result.data.id}`);
    succeeded(DONE[action]);
  }

  async function remove() {
    if (props.mode !== "edit" || !window.confirm("Delete this endpoint? This can't be undone.")) return;
    const result = await run("delete", () =>
      studioApi("DELETE", `/api/studio/endpoints/${props.endpoint.id}`),
    );
    if (!result.ok) return;
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
        <PriceField
          id="endpoint-price"
          label="Price per payment (USD)"
          payer="Clients"
          example={{ value: "0.002", hint: "For example 0.002." }}
          price={price}
        />
        <AccessWindowField
          id="endpoint-window"
          label="Access"
          windows={DATA_WINDOWS}
          describe={dataWindowLabel}
          value={accessWindow}
          onChange={setAccessWindow}
        />
      </div>
      <PromotionField id="endpoint-promotion" promotion={promotion} />
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

      <PublishControls
        kind="endpoint"
        creating={props.mode === "create"}
        published={published}
        busy={busy}
        onPublish={(live) => void save(live ? "publish" : "unpublish")}
        links={initial ? [{ href: `/studio/endpoints/${initial.id}/sales`, label: "Sales" }] : []}
        remove={
          props.mode === "edit" && !props.paidFor
            ? { label: "Delete endpoint", onClick: () => void remove() }
            : null
        }
      />
    </form>
  );
}
