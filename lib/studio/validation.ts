// The studio's input rules, as zod schemas: what a publisher may type for a price, a slug, an
// access window, a data path or a dataset. Every message here is shown to the publisher as is, so
// each one says what to type instead. Pure: no Next, no database.
import { z } from "zod";
import { articleSlugSchema } from "../content/resource-keys";
import { MAX_BODY_CHARS, parseBody, tooLongMessage, type BodyTree } from "../content/markdown";
import { ACCESS_WINDOWS, formatUsdc, MIN_PRICE_ATOMIC, parseUsdc, toUsdcDecimal } from "../content/money";

/**
 * A price typed in dollars ("0.05", "$1", ".5") → atomic units. Zero is refused: a studio price
 * is something a reader pays (free articles exist in the seed, not in the studio's form). So is
 * anything under MIN_PRICE_ATOMIC: each sale costs the relayer a transaction.
 */
export const MIN_PRICE_MESSAGE = `A price must be at least ${formatUsdc(MIN_PRICE_ATOMIC)}.`;

export const priceSchema = z
  .string({
    required_error: "Enter a price in dollars, like 0.05.",
    invalid_type_error: 'Enter the price as text, like "0.05".',
  })
  .max(40, "Enter a price in dollars, like 0.05.")
  .transform((text, ctx) => {
    const parsed = parseUsdc(text);
    if (!parsed.ok) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: parsed.message });
      return z.NEVER;
    }
    if (parsed.value < MIN_PRICE_ATOMIC) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: MIN_PRICE_MESSAGE });
      return z.NEVER;
    }
    return parsed.value;
  });

/** How long an article stays readable after one payment. */
export const ARTICLE_WINDOWS = {
  "24h": ACCESS_WINDOWS.day,
  "7d": ACCESS_WINDOWS.week,
  "30d": ACCESS_WINDOWS.month,
  forever: null,
} as const;
export type ArticleWindow = keyof typeof ARTICLE_WINDOWS;
export const articleWindowSchema = z.enum(["24h", "7d", "30d", "forever"], {
  errorMap: () => ({ message: "Choose an access window: 24 hours, 7 days, 30 days or forever." }),
});

/** Data endpoints: "per-request" = every request is paid (no receipt reuse). */
export const DATA_WINDOWS = {
  "per-request": null,
  "24h": ACCESS_WINDOWS.day,
  "7d": ACCESS_WINDOWS.week,
  "30d": ACCESS_WINDOWS.month,
} as const;
export type DataWindow = keyof typeof DATA_WINDOWS;
export const dataWindowSchema = z.enum(["per-request", "24h", "7d", "30d"], {
  errorMap: () => ({ message: "Choose per request, 24 hours, 7 days or 30 days." }),
});

/** The form value for a stored window; unknown stored values (seeded oddities) read as the nearest choice. */
export function articleWindowOf(seconds: number | null): ArticleWindow {
  if (seconds === null) return "forever";
  if (seconds <= ACCESS_WINDOWS.day) return "24h";
  if (seconds <= ACCESS_WINDOWS.week) return "7d";
  return "30d";
}

export function dataWindowOf(seconds: number | null): DataWindow {
  if (seconds === null) return "per-request";
  if (seconds <= ACCESS_WINDOWS.day) return "24h";
  if (seconds <= ACCESS_WINDOWS.week) return "7d";
  return "30d";
}

export const slugSchema = z
  .string()
  .transform((s) => s.trim())
  .superRefine((slug, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, message });
    if (slug === "") return fail("Enter a slug: the article's address, like my-first-article.");
    if (slug.length > 120) return fail("A slug can be at most 120 characters.");
    if (!articleSlugSchema.safeParse(slug).success) {
      return fail("Use lowercase letters, digits and single hyphens in the slug, like my-first-article.");
    }
  });

/** A slug suggested from a title: "Tide Tables, Explained!" → "tide-tables-explained". */
export function slugify(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
}

export const titleSchema = z
  .string()
  .trim()
  .min(1, "Enter a title.")
  .max(200, "A title can be at most 200 characters.");

export { MAX_BODY_CHARS };
/**
 * The Markdown body, parsed here, once, into the tree that is stored and rendered (readers never
 * parse Markdown). Refuses, with the limit named, a body too long or nested too deep to parse fast.
 */
export const bodySchema = z
  .string()
  .min(1, "Write the article's body (Markdown).")
  .max(MAX_BODY_CHARS, tooLongMessage)
  .refine((body) => body.trim() !== "", "Write the article's body (Markdown).")
  .transform((source, ctx): { source: string; tree: BodyTree } => {
    const parsed = parseBody(source);
    if (parsed.kind === "ok") return { source, tree: parsed.tree };
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: parsed.message });
    return z.NEVER;
  });

export const MAX_TEASER_CHARS = 600;
/** Empty = use the body's first paragraph. */
export const teaserSchema = z
  .string()
  .trim()
  .max(MAX_TEASER_CHARS, `A teaser can be at most ${MAX_TEASER_CHARS} characters.`);

const promotionMoment = (what: string) =>
  z
    .string({ required_error: `Enter when the promotion ${what}.` })
    .datetime({ offset: true, message: `Enter when the promotion ${what} as a date and time.` })
    .transform((text) => new Date(text));

/**
 * A promotional price for a time, or null to end one: a price (the same rules as any price), a
 * start and an end. That it is lower than the regular price, and ends in the future, is checked by
 * `checkPromotion` against the item's price.
 */
export const promotionSchema = z
  .object({ price: priceSchema, startsAt: promotionMoment("starts"), endsAt: promotionMoment("ends") })
  .strict()
  .refine((p) => p.endsAt.getTime() > p.startsAt.getTime(), {
    path: ["endsAt"],
    message: "A promotion must end after it starts.",
  })
  .nullable();
export type PromotionInput = z.infer<typeof promotionSchema>;

/** What the item's price and the clock allow of a promotion: null if fine, else what to change. */
export function checkPromotion(
  p: NonNullable<PromotionInput>,
  regularPrice: bigint,
  now: Date,
): string | null {
  if (p.price >= regularPrice)
    return `A promotional price must be lower than the regular price (${formatUsdc(regularPrice)}).`;
  if (p.endsAt.getTime() <= now.getTime())
    return "That promotion would already be over; choose an end in the future.";
  return null;
}

/** The columns a promotion is stored in (all null: none). */
export function promotionColumns(p: PromotionInput) {
  return {
    promoPriceAtomic: p?.price ?? null,
    promoStartsAt: p?.startsAt ?? null,
    promoEndsAt: p?.endsAt ?? null,
  };
}

/** POST /api/studio/articles. */
export const articleCreateSchema = z.object({
  title: titleSchema,
  slug: slugSchema,
  body: bodySchema,
  /** Empty or omitted = the body's first paragraph. */
  teaser: teaserSchema.optional(),
  price: priceSchema,
  accessWindow: articleWindowSchema,
  /** Omitted or null = no promotion. */
  promotion: promotionSchema.optional(),
});
export type ArticleCreate = z.infer<typeof articleCreateSchema>;

/** PATCH /api/studio/articles/:id: any of the fields, and whether it is published. */
export const articlePatchSchema = articleCreateSchema
  .partial()
  .extend({ published: z.boolean({ invalid_type_error: "published must be true or false." }).optional() })
  .strict();
export type ArticlePatch = z.infer<typeof articlePatchSchema>;

/**
 * The part after /api/data/: lowercase segments of letters, digits, ".", "_" and "-", each starting
 * with a letter or digit (so no "." or ".." segments), joined by "/". A leading "/api/data/" that
 * the publisher pasted is dropped.
 */
export const dataPathSchema = z
  .string()
  .transform((p) =>
    p
      .trim()
      .replace(/^\/?api\/data\//, "")
      .replace(/^\/+/, ""),
  )
  .superRefine((p, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, message });
    if (p === "") return fail("Enter a path under /api/data/, like markets/daily-volume.json.");
    if (p.length > 200) return fail("A path can be at most 200 characters.");
    if (p !== p.toLowerCase()) return fail("Use lowercase letters in the path.");
    const segments = p.split("/");
    if (segments.length > 6) return fail("A path can have at most 6 segments.");
    if (!segments.every((s) => /^[a-z0-9][a-z0-9._-]*$/.test(s))) {
      return fail(
        "Each part of the path may hold letters, digits, '.', '_' and '-', and must start with a letter or digit, like markets/daily-volume.json.",
      );
    }
  });

export const DATA_FORMATS = { json: "application/json", csv: "text/csv" } as const;
export type DataFormat = keyof typeof DATA_FORMATS;
export const dataFormatSchema = z.enum(["json", "csv"], {
  errorMap: () => ({ message: "Choose JSON or CSV." }),
});

export function dataFormatOf(contentType: string): DataFormat {
  return contentType.startsWith("text/csv") ? "csv" : "json";
}

export const MAX_DATA_CHARS = 1_000_000;

/** Checks content against its format; the message names the problem (JSON.parse's own words). */
export function checkDataContent(
  format: DataFormat,
  content: string,
): { ok: true } | { ok: false; message: string } {
  if (content.trim() === "") return { ok: false, message: "Paste the dataset's content." };
  if (content.length > MAX_DATA_CHARS) {
    return {
      ok: false,
      message: `A dataset can be at most ${MAX_DATA_CHARS.toLocaleString("en-US")} characters.`,
    };
  }
  switch (format) {
    case "json":
      try {
        JSON.parse(content);
        return { ok: true };
      } catch (error) {
        return {
          ok: false,
          message: `The content is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
    case "csv":
      // CSV has no grammar worth enforcing beyond "text"; a NUL byte means a binary file was pasted.
      return content.includes("\u0000")
        ? { ok: false, message: "The CSV contains binary data." }
        : { ok: true };
    default: {
      const unreachable: never = format;
      return unreachable;
    }
  }
}

export const addressSchema = z
  .string()
  .trim()
  .regex(/^0x[0-9a-fA-F]{40}$/, "Enter an address: 0x followed by 40 hexadecimal characters.")
  .transform((a) => a.toLowerCase() as `0x${string}`);

/** Addresses that must never receive readers' USDC, from the deployment's configuration. */
export type PayoutRules = {
  /** The USDC contract of the configured network. */
  token: `0x${string}`;
  /** The in-process relayer's account, when this server settles payments itself. */
  relayer: `0x${string}` | null;
};

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/**
 * Why `address` can't be a payout address, or null. USDC sent to the zero address or to the token
 * contract is lost (or the transfer reverts), and sending to the relayer hands the publisher's
 * income to whoever runs the server's gas wallet.
 */
export function payoutAddressProblem(address: string, rules: PayoutRules): string | null {
  const a = address.toLowerCase();
  if (a === ZERO_ADDRESS) {
    return "The zero address can't receive payments; enter your wallet or a multisig you control.";
  }
  if (a === rules.token.toLowerCase()) {
    return "That is the USDC token contract itself; payments sent there are lost. Enter your wallet or a multisig you control.";
  }
  if (rules.relayer && a === rules.relayer.toLowerCase()) {
    return "That is this site's relayer (the account that pays settlement gas), not yours; enter your wallet or a multisig you control.";
  }
  return null;
}

export const publisherNameSchema = z
  .string()
  .trim()
  .min(1, "Enter the name readers will see.")
  .max(80, "A name can be at most 80 characters.");

/** The first message of a failed parse, for a 400 body. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "The request is not valid.";
  // Union members' own messages are more useful than zod's "Invalid input".
  if (issue.code === z.ZodIssueCode.invalid_union) {
    const inner = issue.unionErrors.flatMap((e) => e.issues).find((i) => i.code === z.ZodIssueCode.custom);
    if (inner) return inner.message;
  }
  return issue.message;
}

/** A stored promotion as the studio shows it, JSON-safe; null when there is none. */
export type StudioPromotion = {
  price: { atomic: string; dollars: string; display: string };
  startsAt: string;
  endsAt: string;
} | null;

export function studioPromotionOf(row: {
  promoPriceAtomic: bigint | null;
  promoStartsAt: Date | null;
  promoEndsAt: Date | null;
}): StudioPromotion {
  if (row.promoPriceAtomic === null || !row.promoStartsAt || !row.promoEndsAt) return null;
  return {
    price: {
      atomic: row.promoPriceAtomic.toString(),
      dollars: toUsdcDecimal(row.promoPriceAtomic),
      display: formatUsdc(row.promoPriceAtomic),
    },
    startsAt: row.promoStartsAt.toISOString(),
    endsAt: row.promoEndsAt.toISOString(),
  };
}

/**
 * A patch's promotion checked against the price the item will have (null if fine). A new regular
 * price is checked against the promotion kept, which must stay lower.
 */
export function promotionChangeProblem(
  patch: { price?: bigint; promotion?: PromotionInput },
  current: { priceAtomic: bigint; promoPriceAtomic: bigint | null },
  now: Date,
): string | null {
  const price = patch.price ?? current.priceAtomic;
  if (patch.promotion === null) return null;
  if (patch.promotion) return checkPromotion(patch.promotion, price, now);
  if (
    patch.price !== undefined &&
    current.promoPriceAtomic !== null &&
    current.promoPriceAtomic >= patch.price
  )
    return `The promotional price (${formatUsdc(current.promoPriceAtomic)}) must stay lower than the regular price: change or end the promotion too.`;
  return null;
}
