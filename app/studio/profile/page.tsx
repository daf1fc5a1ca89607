import { ProfileForm } from "@/components/studio/profile-form";
import { requirePublisher } from "@/lib/studio/viewer";

export const dynamic = "force-dynamic";
export const metadata = { title: "Profile" };

export default async function ProfilePage() {
  const { publisher, wallet } = await requirePublisher();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight text-stone-900">Publisher profile</h1>
      <p className="text-sm text-stone-600">
        Signed in as <span className="font-mono">{wallet}</span>.
      </p>
      <ProfileForm mode="edit" wallet={wallet} initial={{ name: publisher.name, payTo: publisher.payTo }} />
    </div>
  );
}
