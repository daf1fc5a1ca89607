// The row under a studio editor: save, publish or unpublish, the editor's links, and delete while
// deleting is allowed. Every button waits while one action runs, and the running one says so.
import Link from "next/link";
import { Button } from "@/components/ui/button";

export type PublishAction = "save" | "publish" | "unpublish" | "delete";

export function PublishControls({
  kind,
  creating,
  published,
  busy,
  onPublish,
  links = [],
  remove = null,
}: {
  /** Names the test ids: "article" → article-save, article-publish, article-unpublish, article-delete. */
  kind: string;
  creating: boolean;
  published: boolean;
  busy: PublishAction | null;
  onPublish: (published: boolean) => void;
  links?: Array<{ href: string; label: string }>;
  remove?: { label: string; onClick: () => void } | null;
}) {
  const toggle = published
    ? { action: "unpublish", label: "Unpublish", running: "Unpublishing…" }
    : { action: "publish", label: "Save and publish", running: "Publishing…" };
  return (
    <div className="flex flex-wrap items-center gap-3 border-t border-stone-200 pt-5">
      <Button type="submit" disabled={busy !== null} data-testid={`${kind}-save`}>
        {busy === "save" ? "Saving…" : creating ? "Save draft" : "Save changes"}
      </Button>
      {!creating && (
        <Button
          variant="secondary"
          disabled={busy !== null}
          data-testid={`${kind}-${toggle.action}`}
          onClick={() => onPublish(!published)}
        >
          {busy === toggle.action ? toggle.running : toggle.label}
        </Button>
      )}
      {links.map((l) => (
        <Link
          key={l.href}
          href={l.href}
          className="text-sm text-stone-600 underline underline-offset-2 hover:text-stone-900"
        >
          {l.label}
        </Link>
      ))}
      {remove && (
        <button
          type="button"
          onClick={remove.onClick}
          disabled={busy !== null}
          className="ml-auto text-sm text-red-700 hover:underline"
          data-testid={`${kind}-delete`}
        >
          {remove.label}
        </button>
      )}
    </div>
  );
}
