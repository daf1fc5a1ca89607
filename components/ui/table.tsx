// The table chrome the studio's lists share: a bordered, horizontally scrolling card with a quiet
// header row. Rows and cells are the caller's; Td gives them the same padding as the header.
import type { ComponentProps, ReactNode } from "react";

export type Column = { label: ReactNode; align?: "left" | "right" };

const cell = "px-3 py-2";

export function Table({
  columns,
  children,
  ...props
}: { columns: Column[]; children: ReactNode } & Omit<ComponentProps<"table">, "children">) {
  return (
    <div className="overflow-x-auto rounded-xl border border-stone-200 bg-white">
      <table className="w-full text-left text-sm" {...props}>
        <thead className="border-b border-stone-200 text-xs text-stone-500 uppercase">
          <tr>
            {columns.map((c, i) => (
              <th key={i} className={`${cell} font-medium ${c.align === "right" ? "text-right" : ""}`}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-100">{children}</tbody>
      </table>
    </div>
  );
}

export function Td({ className = "", ...props }: ComponentProps<"td">) {
  return <td className={`${cell} ${className}`} {...props} />;
}
