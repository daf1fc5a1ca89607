// The sign-in-with-x challenge and its check, without a server: answers signed with the SDK's own
// client (createSIWxPayload) by viem accounts. Each refusal a replaying, misdirecting or forging
// client could try is refused for its own reason; only the exact, fresh, signed answer passes.
import { createSIWxPayload, encodeSIWxHeader, type SIWxExtension } from "@x402/extensions/sign-in-with-x";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { checkSiwx, SIGN_IN_WITH_X, SIWX_MAX_AGE_SECONDS, siwxChallenge, type SiwxTarget } from "./siwx";

const wallet = privateKeyToAccount(`0x${"11".repeat(32)}`);
const other = privateKeyToAccount(`0x${"22".repeat(32)}`);
const target: SiwxTarget = {
  key: new TextEncoder().encode("a test key for the nonces"),
  resourceKey: "article:deep-sea",
  resourceUrl: "https://kiosk.example/api/articles/deep-sea",
  network: "eip155:8453",
};
const t0 = new Date("2026-12-03T21:00:00.000Z");
const later = (s: number) => new Date(t0.getTime() + s * 1000);

async function answer(challenge: SIWxExtension, signer = wallet, url = target.resourceUrl) {
  const chain = challenge.supportedChains[0]!;
  return encodeSIWxHeader(
    await createSIWxPayload({ ...challenge.info, chainId: chain.chainId, type: chain.type }, signer, url),
  );
}
const reencode = (header: string, edit: (p: Record<string, unknown>) => void) => {
  const p = JSON.parse(Buffer.from(header, "base64").toString());
  edit(p);
  return Buffer.from(JSON.stringify(p)).toString("base64");
};

describe("sign-in-with-x", () => {
  it("issues a challenge bound to the resource, the chain and the instant, with no state", () => {
    const c = siwxChallenge(target, t0);
    expect(SIGN_IN_WITH_X).toBe("sign-in-with-x");
    expect(c.info).toMatchObject({
      domain: "kiosk.example",
      uri: target.resourceUrl,
      resources: [target.resourceUrl],
      version: "1",
      issuedAt: t0.toISOString(),
      expirationTime: later(SIWX_MAX_AGE_SECONDS).toISOString(),
    });
    expect(c.info.nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(c.supportedChains).toEqual([{ chainId: "eip155:8453", type: "eip191" }]);
    // The same inputs give the same nonce (nothing to store); any other resource or instant, another.
    expect(siwxChallenge(target, t0).info.nonce).toBe(c.info.nonce);
    expect(siwxChallenge({ ...target, resourceKey: "article:other" }, t0).info.nonce).not.toBe(c.info.nonce);
    expect(siwxChallenge(target, later(1)).info.nonce).not.toBe(c.info.nonce);
  });

  it("signs in the wallet that answered this resource's fresh challenge", async () => {
    const header = await answer(siwxChallenge(target, t0));
    const check = await checkSiwx(header, target, later(10));
    expect(check).toMatchObject({ kind: "signed-in", address: wallet.address.toLowerCase() });
    if (check.kind === "signed-in") expect(check.expiresAt).toEqual(later(SIWX_MAX_AGE_SECONDS));
  });

  it("refuses a message for another resource, another site, another chain, or with a nonce it never issued", async () => {
    const otherTarget = {
      ...target,
      resourceKey: "article:other",
      resourceUrl: "https://kiosk.example/api/articles/other",
    };
    const forOther = await answer(siwxChallenge(otherTarget, t0), wallet, otherTarget.resourceUrl);
    expect(await checkSiwx(forOther, target, later(10))).toMatchObject({
      kind: "refused",
      reason: "other-resource",
    });

    const elsewhere = { ...target, resourceUrl: "https://evil.example/api/articles/deep-sea" };
    const phished = await answer(siwxChallenge(elsewhere, t0), wallet, elsewhere.resourceUrl);
    expect(await checkSiwx(phished, target, later(10))).toMatchObject({
      kind: "refused",
      reason: "other-resource",
    });

    const otherChain = await answer(siwxChallenge({ ...target, network: "eip155:84532" }, t0));
    expect(await checkSiwx(otherChain, target, later(10))).toMatchObject({
      kind: "refused",
      reason: "other-chain",
    });

    // A challenge made up by the client (its own nonce), or the site's nonce moved to another time.
    const madeUp = siwxChallenge(target, t0);
    madeUp.info.nonce = "0123456789abcdef0123456789abcdef";
    expect(await checkSiwx(await answer(madeUp), target, later(10))).toMatchObject({
      kind: "refused",
      reason: "not-our-nonce",
    });
    const moved = siwxChallenge(target, t0);
    moved.info.issuedAt = later(5).toISOString();
    expect(await checkSiwx(await answer(moved), target, later(10))).toMatchObject({
      kind: "refused",
      reason: "not-our-nonce",
    });
    // Same resource, another key (another site's secret).
    expect(
      await checkSiwx(
        await answer(siwxChallenge(target, t0)),
        { ...target, key: new Uint8Array(32) },
        later(10),
      ),
    ).toMatchObject({ kind: "refused", reason: "not-our-nonce" });
  });

  it("refuses an expired message, one from the future, and one dropping its expiry to live longer", async () => {
    const header = await answer(siwxChallenge(target, t0));
    expect(await checkSiwx(header, target, later(SIWX_MAX_AGE_SECONDS - 1))).toMatchObject({
      kind: "signed-in",
    });
    expect(await checkSiwx(header, target, later(SIWX_MAX_AGE_SECONDS + 1))).toMatchObject({
      kind: "refused",
      reason: "expired",
    });
    expect(await checkSiwx(header, target, later(-120))).toMatchObject({
      kind: "refused",
      reason: "not-yet-valid",
    });
    const noExpiry = siwxChallenge(target, t0);
    delete noExpiry.info.expirationTime;
    expect(await checkSiwx(await answer(noExpiry), target, later(SIWX_MAX_AGE_SECONDS + 1))).toMatchObject({
      kind: "refused",
      reason: "expired",
    });
  });

  it("refuses a signature by another wallet, an edited message, and junk", async () => {
    const header = await answer(siwxChallenge(target, t0));
    const claimed = reencode(
      await answer(siwxChallenge(target, t0), other),
      (p) => (p.address = wallet.address),
    );
    expect(await checkSiwx(claimed, target, later(10))).toMatchObject({
      kind: "refused",
      reason: "bad-signature",
    });
    const edited = reencode(header, (p) => (p.statement = "Something else"));
    expect(await checkSiwx(edited, target, later(10))).toMatchObject({
      kind: "refused",
      reason: "bad-signature",
    });
    // A contract wallet's check is asked only when the signature is not the address's own key.
    let asked = 0;
    const contract = async () => (asked++, true);
    expect(await checkSiwx(header, target, later(10), contract)).toMatchObject({ kind: "signed-in" });
    expect(asked).toBe(0);
    expect(await checkSiwx(claimed, target, later(10), contract)).toMatchObject({ kind: "signed-in" });
    expect(asked).toBe(1);

    for (const junk of ["", "not base64!", Buffer.from("{}").toString("base64"), "A".repeat(9000)])
      expect(await checkSiwx(junk, target, later(10))).toMatchObject({
        kind: "refused",
        reason: "malformed",
      });
  });
});
