import type { ComponentProps } from "react";

const tones = {
  neutral: "bg-stone-100 text-stone-700 ring-stone-200",
  price: "bg-amber-50 text-amber-900 ring-amber-200",
  free: "bg-emerald-50 text-emerald-800 ring-emerald-200",
} as const;

/** A small pill for prices and states. */
export function Badge({
  tone = "neutral",
  className = "",
  ...props
}: ComponentProps<"span"> & { tone?: keyof typeof tones }) {
  return (
    <span
      className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-medium tabular-nums ring-1 ring-inset ${tones[tone]} ${className}`}
      {...props}
    />
  );
}
