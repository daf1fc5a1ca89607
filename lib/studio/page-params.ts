// Route params for studio pages: a malformed id is simply a page that does not exist.
import "server-only";
import { notFound } from "next/navigation";

export function pageId(raw: string): number {
  const id = /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id) || id > 2 ** 31 - 1) notFound();
  return id;
}
