// The price input both editors share: dollars typed, checked as you type with the save's own
// schema, and the price readers will see once it parses.
import { useMemo, useState } from "react";
import { formatPrice } from "@/lib/content/money";
import { firstIssue, priceSchema } from "@/lib/studio/validation";
import { Field, inputClass } from "./fields";

export type PriceCheck = { ok: true; value: bigint } | { ok: false; message: string } | null;

/** The typed price and what it parses to (null while empty). */
export function usePriceInput(initial: string) {
  const [text, setText] = useState(initial);
  const check = useMemo((): PriceCheck => {
    if (text.trim() === "") return null;
    const parsed = priceSchema.safeParse(text);
    return parsed.success
      ? { ok: true, value: parsed.data }
      : { ok: false, message: firstIssue(parsed.error) };
  }, [text]);
  return { text, setText, check };
}

export function PriceField({
  id,
  label,
  payer,
  example,
  price,
}: {
  id: string;
  label: string;
  /** Who pays, for the hint: "Readers pay $0.05." */
  payer: string;
  /** A price to show as the placeholder, and the hint while the field is empty. */
  example: { value: string; hint: string };
  price: ReturnType<typeof usePriceInput>;
}) {
  const { check } = price;
  return (
    <Field
      label={label}
      htmlFor={id}
      error={check && !check.ok ? check.message : null}
      hint={check?.ok ? `${payer} pay ${formatPrice(check.value)}.` : example.hint}
    >
      <div className="relative">
        <span className="pointer-events-none absolute inset-y-0 left-3 flex items-center text-sm text-stone-500">
          $
        </span>
        <input
          id={id}
          className={`${inputClass} pl-7 tabular-nums`}
          value={price.text}
          inputMode="decimal"
          placeholder={example.value}
          required
          onChange={(e) => price.setText(e.target.value)}
        />
      </div>
    </Field>
  );
}
