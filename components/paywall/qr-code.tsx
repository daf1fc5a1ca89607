"use client";
// The EIP-681 payment URI as a QR code for a phone wallet. `qrcode` renders an SVG string, shown
// through an <img> data URL so no markup string is ever injected into the page; the package is
// fetched only when a reader opens this panel.
import { useEffect, useState } from "react";

export function QrCode({ value, label }: { value: string; label: string }) {
  const [rendered, setRendered] = useState<{ value: string; src: string } | null>(null);

  useEffect(() => {
    let live = true;
    import("qrcode")
      .then((qr) => qr.toString(value, { type: "svg", errorCorrectionLevel: "M", margin: 2 }))
      .then((svg) => {
        if (live) setRendered({ value, src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` });
      })
      .catch(() => undefined); // the copyable link below the code still works
    return () => {
      live = false;
    };
  }, [value]);

  if (rendered?.value !== value) {
    return <div aria-hidden className="size-48 rounded-lg bg-stone-100 motion-safe:animate-pulse" />;
  }
  return (
    // eslint-disable-next-line @next/next/no-img-element -- a generated data URL; next/image adds nothing here
    <img
      data-testid="qr-code"
      src={rendered.src}
      alt={label}
      width={192}
      height={192}
      className="size-48 rounded-lg bg-white ring-1 ring-stone-200"
    />
  );
}
