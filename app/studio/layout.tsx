import type { Metadata } from "next";
import type { ReactNode } from "react";
import { StudioNav } from "@/components/studio/studio-nav";
import { getViewer } from "@/lib/studio/viewer";

export const metadata: Metadata = {
  title: { default: "Studio", template: "%s · Studio · Kiosk" },
  robots: { index: false },
};

export default async function StudioLayout({ children }: { children: ReactNode }) {
  const viewer = await getViewer();
  return (
    <div data-testid="studio">
      {viewer.kind !== "signed-out" && (
        <StudioNav
          wallet={viewer.wallet}
          publisherName={viewer.kind === "publisher" ? viewer.publisher.name : null}
        />
      )}
      {children}
    </div>
  );
}
