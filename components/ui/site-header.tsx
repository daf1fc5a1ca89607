import Link from "next/link";
import type { ReactNode } from "react";

const nav = [
  { href: "/", label: "Articles" },
  // Discovery documents, OpenAPI, llms.txt and a first request to copy; the datasets follow it.
  { href: "/#agents", label: "For agents" },
  { href: "/api/articles", label: "API" },
  { href: "/studio", label: "Studio" },
] as const;

/** `readerSignedIn`: the request carries a valid reader session (then /library is the reader's list). */
export function SiteHeader({ actions, readerSignedIn }: { actions?: ReactNode; readerSignedIn: boolean }) {
  return (
    <header className="border-b border-stone-200 bg-white/80 backdrop-blur">
      <div className="mx-auto flex max-w-3xl items-center gap-6 px-5 py-4">
        <Link href="/" className="text-lg font-semibold tracking-tight text-stone-900">
          Kiosk
        </Link>
        <nav aria-label="Main" className="flex flex-1 items-center gap-5 text-sm text-stone-600">
          {nav.map((item) => (
            <Link key={item.href} href={item.href} className="hover:text-stone-900">
              {item.label}
            </Link>
          ))}
          {/* The reader's library; signed out, it is where purchases are restored by signing in. */}
          <Link href="/library" data-testid="nav-library" className="hover:text-stone-900">
            {readerSignedIn ? "Library" : "Restore purchases"}
          </Link>
        </nav>
        {actions}
      </div>
    </header>
  );
}
