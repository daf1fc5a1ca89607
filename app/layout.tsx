import { GeistMono } from "geist/font/mono";
import { GeistSans } from "geist/font/sans";
import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { SiteHeader } from "@/components/ui/site-header";
import { readerOfPage } from "@/lib/http/reader";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Kiosk", template: "%s · Kiosk" },
  description:
    "Pay-per-article writing and data: a few cents in USDC per piece, no account, no subscription.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // headers() outside the catch: it is how Next learns the layout is rendered per request. A
  // configuration error only costs the header its "Library" label, never the page.
  const reader = await readerOfPage(await headers()).catch(() => null);
  return (
    <html lang="en" className={`${GeistSans.variable} ${GeistMono.variable}`}>
      <body className="flex min-h-screen flex-col bg-stone-50 font-sans text-stone-900 antialiased">
        <SiteHeader readerSignedIn={reader !== null} />
        <main className="mx-auto w-full max-w-3xl flex-1 px-5 py-10 sm:py-14">{children}</main>
        <footer className="border-t border-stone-200 py-6 text-center text-xs text-stone-500">
          Kiosk · pay per article in USDC over <span className="font-medium">x402</span> · no accounts, no
          subscriptions
        </footer>
      </body>
    </html>
  );
}
