// The reader's purchases as a list: one row each, newest first. A server component (no script).
import { formatUsdc } from "@/lib/content/money";
import type { Purchase } from "@/lib/payments/entitlements";
import { accessLeft } from "./access-left";

const link = "underline underline-offset-4 hover:text-stone-900";

/** Where a purchase is read: the article page, or the dataset's URL. */
function readHref(p: Purchase): string | null {
  if (p.ref?.kind === "article") return `/articles/${encodeURIComponent(p.ref.slug)}`;
  if (p.ref?.kind === "data") return `/api/data/${p.ref.path.split("/").map(encodeURIComponent).join("/")}`;
  return null;
}

export function LibraryList({
  purchases,
  now,
  explorerTxUrl,
}: {
  purchases: Purchase[];
  now: Date;
  explorerTxUrl: string | null;
}) {
  return (
    <ul
      data-testid="library-list"
      className="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white"
    >
      {purchases.map((p) => {
        const read = readHref(p);
        // Refunded: the money went back, so the purchase opens nothing any more.
        const left = p.refundedAt ? "none (refunded)" : accessLeft(p.access, now);
        return (
          <li key={p.id} data-testid="library-item" data-resource={p.resource} className="space-y-1 p-4">
            <p className="font-semibold text-stone-900" data-testid="library-title">
              {p.title}
            </p>
            <p className="text-sm text-stone-600">
              <span data-testid="library-price">{formatUsdc(p.amountAtomic)}</span>
              {" · "}
              <time dateTime={p.paidAt.toISOString()}>
                {p.paidAt.toISOString().slice(0, 16).replace("T", " ")} UTC
              </time>
              {" · "}
              <span data-testid="library-method">
                {p.method === "gasless" ? "gasless payment" : "transfer"}
              </span>
              {" · access: "}
              <span data-testid="library-access">{left}</span>
              {p.refundedAt ? (
                <>
                  {" · "}
                  <span
                    data-testid="library-refunded"
                    className="rounded bg-stone-200 px-1.5 py-0.5 text-xs font-medium text-stone-800"
                  >
                    refunded {p.refundedAt.toISOString().slice(0, 10)}
                  </span>
                </>
              ) : null}
            </p>
            <p className="flex flex-wrap gap-4 text-sm text-stone-600">
              {read && !p.refundedAt && left !== "expired" && p.access.kind !== "once" ? (
                <a data-testid="library-read" className={link} href={read}>
                  Read
                </a>
              ) : null}
              {p.txHash ? (
                explorerTxUrl ? (
                  <a
                    className={link}
                    href={`${explorerTxUrl}${p.txHash}`}
                    target="_blank"
                    rel="noopener noreferrer"
                  >
                    Transaction
                  </a>
                ) : (
                  <code className="font-mono text-xs break-all" title="transaction" data-testid="library-tx">
                    {p.txHash}
                  </code>
                )
              ) : null}
              {p.ref?.kind === "article" && p.txHash && !p.refundedAt ? (
                <a
                  data-testid="library-receipt"
                  className={link}
                  href={`/articles/${encodeURIComponent(p.ref.slug)}/receipt`}
                  download
                >
                  Signed receipt
                </a>
              ) : null}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
