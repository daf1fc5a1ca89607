// What a studio page shows for another publisher's article or endpoint (the API answers 403).
import Link from "next/link";

export function Forbidden({ what }: { what: string }) {
  return (
    <section data-testid="studio-forbidden" className="rounded-xl border border-amber-200 bg-amber-50 p-6">
      <h1 className="text-lg font-semibold text-amber-950">Not yours</h1>
      <p className="mt-2 text-sm text-amber-900">
        This {what} belongs to another publisher; the studio only opens your own.
      </p>
      <Link href="/studio" className="mt-4 inline-block text-sm underline underline-offset-2">
        Back to your studio
      </Link>
    </section>
  );
}
