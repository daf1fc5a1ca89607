import {
  declarePaymentIdentifierExtension,
  extractAndValidatePaymentIdentifier,
} from "@x402/extensions/payment-identifier";
import { describe, expect, it } from "vitest";
import { paymentIdentifierExtension, readPaymentIdentifier } from "./payment-identifier";

const declared = { "payment-identifier": declarePaymentIdentifierExtension(false) };
const withInfo = (info: unknown, schema?: unknown) => ({
  x402Version: 2,
  extensions: {
    "payment-identifier": { ...declared["payment-identifier"], info, ...(schema ? { schema } : {}) },
  },
});

describe("readPaymentIdentifier", () => {
  it("reads the id Kiosk's own client adds, as the official extractor does", async () => {
    const payload = await paymentIdentifierExtension().enrichPaymentPayload({
      x402Version: 2,
      extensions: declared,
    });
    const read = readPaymentIdentifier(payload);
    expect(read).toEqual({ kind: "ok", id: expect.stringMatching(/^pay_[0-9a-f]{32}$/) });
    expect(read.kind === "ok" && read.id).toBe(extractAndValidatePaymentIdentifier(payload as never).id);
  });

  it("no extension, no id, or x402 v1: no id, and nothing wrong", () => {
    expect(readPaymentIdentifier({ x402Version: 2 })).toEqual({ kind: "ok", id: null });
    expect(readPaymentIdentifier({ x402Version: 2, extensions: declared })).toEqual({ kind: "ok", id: null });
    expect(readPaymentIdentifier({ x402Version: 1, extensions: { "payment-identifier": 7 } })).toEqual({
      kind: "ok",
      id: null,
    });
  });

  it.each([
    ["not an object", 7],
    ["no info", { schema: {} }],
    ["required missing", { info: { id: "pay_0123456789abcdef" } }],
    ["id not a string", { info: { required: false, id: 12 } }],
    ["id too short", { info: { required: false, id: "short" } }],
    ["id with other characters", { info: { required: false, id: "pay_0123456789abcdef!" } }],
    ["id too long", { info: { required: false, id: "a".repeat(129) } }],
  ])("refuses %s, as the official validator does", (_name, extension) => {
    const payload = { x402Version: 2, extensions: { "payment-identifier": extension } };
    const read = readPaymentIdentifier(payload);
    expect(read).toMatchObject({ kind: "invalid", reason: expect.stringMatching(/^payment-identifier: /) });
    expect(extractAndValidatePaymentIdentifier(payload as never).validation.valid).toBe(false);
  });

  it("never compiles the schema the client echoes: a pathological one costs nothing and changes nothing", () => {
    let schema: Record<string, unknown> = { type: "object" };
    for (let i = 0; i < 3_000; i++)
      schema = { type: "object", properties: { a: schema }, patternProperties: { [`^x${i}`]: schema } };
    const payload = withInfo({ required: false, id: "pay_0123456789abcdef" }, schema);
    const t0 = performance.now();
    expect(readPaymentIdentifier(payload)).toEqual({ kind: "ok", id: "pay_0123456789abcdef" });
    // Compiling a schema this deep takes seconds; reading the id takes well under a millisecond.
    // The bound leaves room for a garbage-collection pause on a busy machine.
    expect(performance.now() - t0).toBeLessThan(250);
  });
});
