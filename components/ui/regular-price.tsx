/**
 * The regular price beside a promotional one, struck through. Screen readers hear "regular price"
 * first: a strike-through alone is lost on them. Stone-600, not a paler grey: struck text is still
 * text, and needs 4.5:1.
 */
export function RegularPrice({ display }: { display: string | undefined }) {
  if (!display) return null;
  return (
    <s data-testid="regular-price" className="text-stone-600">
      <span className="sr-only">regular price </span>
      {display}
    </s>
  );
}
