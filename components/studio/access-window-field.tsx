// The access-window select both editors share. The choices come from the windows the server
// accepts (ARTICLE_WINDOWS, DATA_WINDOWS), and their labels from the same wording readers see
// (formatAccessWindow), so a new window needs no new label table.
import { formatAccessWindow } from "@/lib/content/money";
import { Field, inputClass } from "./fields";

/** "24 hours", "7 days", "30 days", "Forever". */
export function articleWindowLabel(seconds: number | null): string {
  const text = formatAccessWindow(seconds);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Every request is paid", or "One payment, 7 days of access". */
export function dataWindowLabel(seconds: number | null): string {
  return seconds === null ? "Every request is paid" : `One payment, ${formatAccessWindow(seconds)} of access`;
}

export function AccessWindowField<W extends string>({
  id,
  label,
  hint,
  windows,
  describe,
  value,
  onChange,
}: {
  id: string;
  label: string;
  hint?: string;
  windows: Readonly<Record<W, number | null>>;
  describe: (seconds: number | null) => string;
  value: W;
  onChange: (window: W) => void;
}) {
  return (
    <Field label={label} htmlFor={id} hint={hint}>
      <select id={id} className={inputClass} value={value} onChange={(e) => onChange(e.target.value as W)}>
        {(Object.keys(windows) as W[]).map((w) => (
          <option key={w} value={w}>
            {describe(windows[w])}
          </option>
        ))}
      </select>
    </Field>
  );
}
