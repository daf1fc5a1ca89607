"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { studioApi } from "./api-client";

export function SignOutButton() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      data-testid="studio-sign-out"
      disabled={busy}
      className="text-sm text-stone-600 underline-offset-2 hover:text-stone-900 hover:underline disabled:opacity-50"
      onClick={async () => {
        setBusy(true);
        await studioApi("POST", "/api/auth/signout");
        router.push("/studio");
        router.refresh();
        setBusy(false);
      }}
    >
      Sign out
    </button>
  );
}
