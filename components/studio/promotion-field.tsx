// A promotional price with a start and an end, shared by both editors: off by default; on, a price
// (checked like the regular one) and two local date-times. The save sends the moments as ISO
// instants, so the promotion starts and ends at the same second for every reader, whatever their
// time zone; the server checks it against the regular price again.
import { useState } from "react";
import type { StudioPromotion } from "@/lib/studio/validation";
import { Field, inputClass } from "./fields";
import { PriceField, usePriceInput } from "./price-field";

const WEEK_MS = 7 * 24 * 3_600_000;

/** An instant as a datetime-local input shows it: the browser's local time, to the minute. */
function localInput(at: Date): string {
  return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** A datetime-local value (local time) as an ISO instant; "" when the input holds no valid moment. */
function instant(local: string): string {
  const at = new Date(local);
  return Number.isNaN(at.getTime()) ? "" : at.toISOString();
}

export function usePromotionInput(initial: StudioPromotion) {
  const [on, setOn] = useState(initial !== null);
  const price = usePriceInput(initial?.price.dollars ?? "");
  const [startsAt, setStartsAt] = useState(initial ? localInput(new Date(initial.startsAt)) : "");
  const [endsAt, setEndsAt] = useState(initial ? localInput(new Date(initial.endsAt)) : "");
  function toggle(next: boolean) {
    setOn(next);
    if (next && !startsAt) {
      const now = new Date();
      setStartsAt(localInput(now));
      setEndsAt(localInput(new Date(now.getTime() + WEEK_MS)));
    }
  }
  /** What the save sends: the promotion, or null to have none. */
  const value = () =>
    on ? { price: price.text, startsAt: instant(startsAt), endsAt: instant(endsAt) } : null;
  return { on, toggle, price, startsAt, setStartsAt, endsAt, setEndsAt, value };
}

export function PromotionField({
  id,
  promotion,
}: {
  id: string;
  promotion: ReturnType<typeof usePromotionInput>;
}) {
  return (
    <fieldset className="space-y-4 rounded-lg border border-stone-200 p-4" data-testid="promotion-field">
      <legend className="px-1 text-sm font-medium text-stone-800">Promotion</legend>
      <label className="flex items-center gap-2 text-sm text-stone-700">
        <input
          id={`${id}-on`}
          type="checkbox"
          checked={promotion.on}
          onChange={(e) => promotion.toggle(e.target.checked)}
        />
        Run a promotional price for a time (a launch week, a sale)
      </label>
      {promotion.on && (
        <div className="grid gap-4 sm:grid-cols-3">
          <PriceField
            id={`${id}-price`}
            label="Promotional price (USD)"
            payer="During the promotion, buyers"
            example={{ value: "0.02", hint: "Lower than the regular price." }}
            price={promotion.price}
          />
          <MomentField
            id={`${id}-starts`}
            label="Starts"
            hint="Your local time."
            value={promotion.startsAt}
            onChange={promotion.setStartsAt}
          />
          <MomentField
            id={`${id}-ends`}
            label="Ends"
            hint="The regular price returns then."
            value={promotion.endsAt}
            onChange={promotion.setEndsAt}
          />
        </div>
      )}
    </fieldset>
  );
}

function MomentField(p: {
  id: string;
  label: string;
  hint: string;
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <Field label={p.label} htmlFor={p.id} hint={p.hint}>
      <input
        id={p.id}
        type="datetime-local"
        className={inputClass}
        value={p.value}
        required
        onChange={(e) => p.onChange(e.target.value)}
      />
    </Field>
  );
}
