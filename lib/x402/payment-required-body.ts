// The JSON body of Kiosk's 402, beside the official PAYMENT-REQUIRED header: what people, simple
// clients (x402-fetch 1.x reads `x402Version: 1` + `accepts` from it) and Kiosk's paywall read.
// One schema for both ends: the server builds the body with `satisfies PaymentRequiredBody`, the
// paywall parses it with this schema, so neither side can change the contract alone.
import { z } from "zod";

const hexAddress = z
  .string()
  .refine((a): a is `0x${string}` => /^0x[0-9a-fA-F]{40}$/.test(a), "expected a 0x-hex address");
const atomicAmount = z.string().regex(/^\d+$/, "expected atomic units as a decimal string");

export const paymentRequiredBodySchema = z.object({
  /** 1 where x402 v1 can name the network (then `accepts` is in v1 form), else 2. */
  x402Version: z.union([z.literal(1), z.literal(2)]),
  error: z.string(),
  /** The machine-readable reason of a refused payment (e.g. "insufficient_funds"). */
  reason: z.string().optional(),
  accepts: z.array(z.object({ scheme: z.string(), network: z.string() }).passthrough()),
  resource: z.object({
    url: z.string(),
    description: z.string().optional(),
    mimeType: z.string().optional(),
  }),
  price: z.object({
    amount: atomicAmount,
    /** The same amount in USDC, as a decimal string ("0.05"). */
    usdc: z.string(),
    display: z.string(),
    asset: hexAddress,
    network: z.string(),
    /** While a promotion runs: the regular price, which the paywall shows struck through. */
    regular: z.object({ amount: atomicAmount, display: z.string() }).optional(),
    /** While a promotion runs: when it ends (after that the 402 asks for the regular price). */
    promotionEndsAt: z.string().datetime({ offset: true }).optional(),
  }),
  payTo: hexAddress,
  /** What a payment buys: this many seconds of access; null = forever (articles) or one response (data). */
  accessWindowSeconds: z.number().int().positive().nullable(),
  /** EIP-681 transfer of the quoted amount, for wallets that cannot sign EIP-3009. */
  paymentUri: z.string().startsWith("ethereum:"),
  /** The plain-transfer path pays this signed quote: the price plus a few atomic units, exactly. */
  transferQuote: z.object({
    token: z.string().min(1),
    amount: atomicAmount,
    display: z.string(),
    expiresAt: z.string().datetime({ offset: true }),
  }),
});

/** The body as it goes on the wire. */
export type PaymentRequiredBody = z.input<typeof paymentRequiredBodySchema>;
