// The studio home's two lists, articles and data endpoints: a heading with its "New" link, then
// one row per item with its status, price, sales and revenue, or a line saying there are none.
// Server component: the rows are built by the page from the database.
import Link from "next/link";
import type { ReactNode } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Td } from "@/components/ui/table";
import { StatusBadge } from "./status";

export type ResourceRow = {
  key: string | number;
  /** The row's data-testid and data-* attributes, e.g. { "data-slug": "deep-sea" }. */
  attributes: Record<`data-${string}`, string>;
  name: string;
  href: string;
  /** Where it is served, in monospace under the name: "/deep-sea", "/api/data/tides.csv". */
  address: string;
  status: { published: boolean; publishedAt?: Date | null };
  price: string;
  access: string;
  sales: number;
  revenue: string;
  /** Of those sales, how many were refunded (confirmed on chain). */
  refunds?: number;
  salesHref: string;
  /** The public page, for an item that is live and has one. */
  viewHref?: string | null;
};

export function ResourceTable({
  id,
  heading,
  nameColumn,
  create,
  empty,
  tableTestId,
  rows,
}: {
  id: string;
  heading: string;
  nameColumn: string;
  create: { href: string; label: string; testId?: string };
  empty: ReactNode;
  tableTestId: string;
  rows: ResourceRow[];
}) {
  return (
    <section aria-labelledby={id}>
      <div className="mb-3 flex items-baseline justify-between">
        <h2 id={id} className="text-lg font-semibold text-stone-900">
          {heading}
        </h2>
        <Link
          href={create.href}
          className="text-sm text-emerald-800 underline underline-offset-2"
          data-testid={create.testId}
        >
          {create.label}
        </Link>
      </div>
      {rows.length === 0 ? (
        <EmptyState>{empty}</EmptyState>
      ) : (
        <Table
          data-testid={tableTestId}
          columns={[
            { label: nameColumn },
            { label: "Status" },
            { label: "Price" },
            { label: "Sales", align: "right" },
            { label: "Revenue", align: "right" },
            { label: "" },
          ]}
        >
          {rows.map((r) => (
            <tr key={r.key} {...r.attributes}>
              <Td>
                <Link href={r.href} className="font-medium text-stone-900 hover:underline">
                  {r.name}
                </Link>
                <div className="font-mono text-xs text-stone-500">{r.address}</div>
              </Td>
              <Td>
                <StatusBadge item={r.status} />
              </Td>
              <Td className="whitespace-nowrap tabular-nums">
                {r.price}
                <div className="text-xs text-stone-500">{r.access}</div>
              </Td>
              <Td className="text-right tabular-nums">
                {r.sales}
                {r.refunds ? (
                  <div className="text-xs text-amber-800" data-testid="resource-refunds">
                    {r.refunds} refunded
                  </div>
                ) : null}
              </Td>
              <Td className="text-right tabular-nums">{r.revenue}</Td>
              <Td className="text-right whitespace-nowrap">
                <Link href={r.salesHref} className="text-emerald-800 underline underline-offset-2">
                  Sales
                </Link>
                {r.viewHref && (
                  <Link href={r.viewHref} className="ml-3 text-stone-600 underline underline-offset-2">
                    View
                  </Link>
                )}
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}
