// Shared class lists for the paywall's controls (kept here rather than in components/ui so the
// paywall chunk stays self-contained).
const base =
  "inline-flex items-center justify-center gap-2 rounded-lg px-4 py-2 text-sm font-semibold focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-700 disabled:cursor-not-allowed disabled:opacity-60";

export const primaryButton = `${base} bg-stone-900 text-white shadow-sm hover:bg-stone-800`;
export const secondaryButton = `${base} bg-white text-stone-800 ring-1 ring-inset ring-stone-300 hover:bg-stone-50`;
export const linkClass =
  "text-emerald-800 underline decoration-emerald-800/30 underline-offset-2 hover:decoration-emerald-800";
