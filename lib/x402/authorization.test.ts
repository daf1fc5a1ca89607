import { describe, expect, it } from "vitest";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { authorizationTypedData, checkAuthorizationSignature } from "./authorization";
import type { ChainConfig } from "./requirements";

const chain: ChainConfig = {
  caip2: "eip155:84532",
  chainId: 84532,
  v1Name: "base-sepolia",
  usdc: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
  usdcName: "USDC",
  usdcVersion: "2",
};
const payer = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());
const authorization = {
  from: payer.address,
  to: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C" as const,
  value: "10000",
  validAfter: "0",
  validBefore: "2000000000",
  nonce: ("0x" + "ab".repeat(32)) as `0x${string}`,
};
const signedBy = (account: typeof payer, chainConfig = chain, auth = authorization) =>
  account.signTypedData(
    authorizationTypedData(chainConfig, {
      ...auth,
      value: BigInt(auth.value),
      validAfter: BigInt(auth.validAfter),
      validBefore: BigInt(auth.validBefore),
    }),
  );

describe("checkAuthorizationSignature", () => {
  it("recognises the payer's own EIP-712 signature locally", async () => {
    expect(await checkAuthorizationSignature(chain, authorization, await signedBy(payer))).toEqual({
      kind: "eoa",
    });
  });

  it("refuses a signature by anyone else over the same authorization (junk naming a stranger's wallet)", async () => {
    expect(await checkAuthorizationSignature(chain, authorization, await signedBy(stranger))).toEqual({
      kind: "not-eoa",
      erc6492: false,
    });
  });

  it("refuses a signature made for another token domain or another authorization", async () => {
    const otherDomain = await signedBy(payer, { ...chain, usdcVersion: "1" });
    expect((await checkAuthorizationSignature(chain, authorization, otherDomain)).kind).toBe("not-eoa");
    const otherValue = await signedBy(payer, chain, { ...authorization, value: "1" });
    expect((await checkAuthorizationSignature(chain, authorization, otherValue)).kind).toBe("not-eoa");
  });

  it("leaves contract-wallet signatures (ERC-1271 lengths, ERC-6492 wrappers) to the chain", async () => {
    const long = ("0x" + "11".repeat(100)) as `0x${string}`;
    expect(await checkAuthorizationSignature(chain, authorization, long)).toEqual({
      kind: "not-eoa",
      erc6492: false,
    });
    const wrapped = ("0x" + "22".repeat(96) + "6492".repeat(16)) as `0x${string}`;
    expect(await checkAuthorizationSignature(chain, authorization, wrapped)).toEqual({
      kind: "not-eoa",
      erc6492: true,
    });
  });

  it("treats 65 bytes that are not a valid (r, s, v) as not the payer's, without throwing", async () => {
    const junk = ("0x" + "ff".repeat(65)) as `0x${string}`;
    expect(await checkAuthorizationSignature(chain, authorization, junk)).toEqual({
      kind: "not-eoa",
      erc6492: false,
    });
  });
});
