// Kiosk's buttons, one look for the studio and the paywall: a primary action, a secondary one,
// and a link-styled button for "reload"-type asides. Class lists are exported for the rare
// element that is not a <button> but should look like one.
import type { ComponentProps } from "react";

const base =
  "inline-flex items-center justify-center gap-2 rounded-lg px-4 py-2 text-sm font-semibold focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-700 disabled:cursor-not-allowed disabled:opacity-60";

export const buttonClass = {
  primary: `${base} bg-stone-900 text-white shadow-sm hover:bg-stone-800`,
  secondary: `${base} bg-white text-stone-800 ring-1 ring-inset ring-stone-300 hover:bg-stone-50`,
} as const;

export const linkClass =
  "text-emerald-800 underline decoration-emerald-800/30 underline-offset-2 hover:decoration-emerald-800";

/** A button that does not submit unless asked to (`type="submit"`). */
export function Button({
  variant = "primary",
  className = "",
  ...props
}: ComponentProps<"button"> & { variant?: keyof typeof buttonClass }) {
  return <button type="button" className={`${buttonClass[variant]} ${className}`} {...props} />;
}
