// Where a studio item stands, in one word, wherever the studio shows it: live in the catalog, taken
// out of it after being live, or never published.
import type { ComponentProps } from "react";
import { Badge } from "@/components/ui/badge";

export type Status = "Live" | "Unpublished" | "Draft";

/** `publishedAt` is set the first time an item goes live and kept when it is unpublished. */
export function statusLabel(item: { published: boolean; publishedAt?: Date | string | null }): Status {
  if (item.published) return "Live";
  return item.publishedAt ? "Unpublished" : "Draft";
}

export function StatusBadge({
  item,
  ...props
}: { item: Parameters<typeof statusLabel>[0] } & Omit<ComponentProps<typeof Badge>, "tone" | "children">) {
  return (
    <Badge tone={item.published ? "free" : "neutral"} {...props}>
      {statusLabel(item)}
    </Badge>
  );
}
