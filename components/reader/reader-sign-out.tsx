"use client";
// Ends the reader session in this browser (receipts of articles already opened here stay).
import { useRouter } from "next/navigation";

export function ReaderSignOut() {
  const router = useRouter();
  return (
    <button
      type="button"
      data-testid="reader-sign-out"
      className="underline underline-offset-4 hover:text-stone-900"
      onClick={async () => {
        await fetch("/api/reader/signout", { method: "POST", credentials: "same-origin" }).catch(() => null);
        router.refresh();
      }}
    >
      Sign out
    </button>
  );
}
