import Link from "next/link";
import { SignOutButton } from "./sign-out-button";

const links = [
  { href: "/studio", label: "Dashboard" },
  { href: "/studio/articles/new", label: "New article" },
  { href: "/studio/endpoints/new", label: "New data endpoint" },
  { href: "/studio/sales", label: "All sales" },
  { href: "/studio/profile", label: "Profile" },
] as const;

/** The studio's own bar under the site header, for a signed-in wallet. */
export function StudioNav({ wallet, publisherName }: { wallet: string; publisherName: string | null }) {
  return (
    <div className="mb-8 flex flex-wrap items-center gap-x-5 gap-y-2 border-b border-stone-200 pb-4 text-sm">
      <span className="font-semibold text-stone-900">Studio</span>
      {publisherName && (
        <nav aria-label="Studio" className="flex flex-wrap gap-x-4 gap-y-1 text-stone-600">
          {links.map((l) => (
            <Link key={l.href} href={l.href} className="hover:text-stone-900">
              {l.label}
            </Link>
          ))}
        </nav>
      )}
      <span className="ml-auto flex items-center gap-3 text-xs text-stone-500">
        <span className="font-mono" data-testid="studio-wallet" title={wallet}>
          {publisherName ? `${publisherName} · ` : ""}
          {wallet.slice(0, 6)}…{wallet.slice(-4)}
        </span>
        <SignOutButton />
      </span>
    </div>
  );
}
