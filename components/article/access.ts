// How a price and its access window read in the article UI: "read for 30 days", "read forever".
import { formatAccessWindow } from "@/lib/content/money";

export function accessLabel(accessWindowSeconds: number | null): string {
  return accessWindowSeconds === null
    ? "read forever"
    : `read for ${formatAccessWindow(accessWindowSeconds)}`;
}
