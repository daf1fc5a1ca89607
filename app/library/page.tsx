// /library: what the signed-in reader's wallet bought (title, price, when, how, access left, read,
// transaction, signed receipt). Signed out: how to restore purchases by signing in, and how buying
// works. Wallet code loads only when the reader clicks "Restore purchases".
import { headers } from "next/headers";
import { EmptyState } from "@/components/ui/empty-state";
import { LibraryList } from "@/components/reader/library-list";
import { ReaderSignOut } from "@/components/reader/reader-sign-out";
import { RestoreButton } from "@/components/reader/restore-button";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { readerOfPage } from "@/lib/http/reader";
import { purchasesOf } from "@/lib/payments/entitlements";
import { walletChainConfig } from "@/lib/wallet-chain-config";

export const dynamic = "force-dynamic";
export const metadata = { title: "Your library" };

export default async function LibraryPage() {
  const wallet = await readerOfPage(await headers());
  if (!wallet) {
    return (
      <section className="space-y-5">
        <h1 className="text-2xl font-semibold tracking-tight text-stone-900">Your library</h1>
        <p className="max-w-prose text-sm leading-6 text-stone-600">
          Bought something on another device, or cleared your cookies? Sign in with the wallet that paid: one
          message to sign, no transaction, no charge. Everything it bought opens again here and on each
          article.
        </p>
        <RestoreButton chainConfig={walletChainConfig()} />
      </section>
    );
  }
  const now = new Date();
  const purchases = await purchasesOf(await getDb(), wallet);
  return (
    <section className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight text-stone-900">Your library</h1>
        <p className="text-sm text-stone-600">
          <span data-testid="library-wallet" className="font-mono">
            {wallet}
          </span>{" "}
          <ReaderSignOut />
        </p>
      </div>
      {purchases.length === 0 ? (
        <EmptyState>
          <span data-testid="library-empty">
            This wallet has bought nothing here yet. Open any article and unlock it: you sign one payment in
            USDC (or send a transfer), you are charged only once it is delivered, and it shows up here.
          </span>
        </EmptyState>
      ) : (
        <LibraryList purchases={purchases} now={now} explorerTxUrl={env().network.explorerTxUrl} />
      )}
    </section>
  );
}
