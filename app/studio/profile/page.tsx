import { PayoutPanel } from "@/components/studio/payout-panel";
import { ProfileForm } from "@/components/studio/profile-form";
import { walletChainConfig } from "@/lib/wallet-chain-config";
import { listPayoutChanges } from "@/lib/studio/publishers";
import { requirePublisher } from "@/lib/studio/viewer";

export const dynamic = "force-dynamic";
export const metadata = { title: "Profile" };

export default async function ProfilePage() {
  const { publisher, wallet, db } = await requirePublisher();
  const changes = await listPayoutChanges(db, publisher);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight text-stone-900">Publisher profile</h1>
      <p className="text-sm text-stone-600">
        Signed in as <span className="font-mono">{wallet}</span>.
      </p>
      <ProfileForm mode="edit" wallet={wallet} initial={{ name: publisher.name }} />
      <PayoutPanel
        chainConfig={walletChainConfig()}
        target={{ publisherId: publisher.id, wallet: publisher.wallet, payTo: publisher.payTo }}
      />
      <section className="space-y-3" data-testid="payout-changes">
        <h2 className="text-lg font-semibold text-stone-900">Payout address changes</h2>
        {changes.length === 0 ? (
          <p className="text-sm text-stone-600">
            None yet: payments go to the address the profile was created with.
          </p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-stone-500">
                <tr>
                  <th className="py-2 pr-4 font-medium">When (UTC)</th>
                  <th className="py-2 pr-4 font-medium">From</th>
                  <th className="py-2 pr-4 font-medium">To</th>
                  <th className="py-2 font-medium">Signed by</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-200 font-mono text-xs text-stone-800">
                {changes.map((c) => (
                  <tr key={c.id} data-testid="payout-change">
                    <td className="py-2 pr-4 font-sans">
                      {c.changedAt.toISOString().replace("T", " ").slice(0, 19)}
                    </td>
                    <td className="py-2 pr-4 break-all">{c.oldPayTo}</td>
                    <td className="py-2 pr-4 break-all">{c.newPayTo}</td>
                    <td className="py-2 break-all">{c.signer}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
