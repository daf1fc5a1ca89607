// The signer seam end to end without a chain: a wagmi-style wallet client (JSON-RPC account, so
// signing goes through eth_signTypedData_v4) over the local EIP-1193 wallet, driven by the official
// x402 client. Signing needs no RPC; the chain id only names the EIP-712 domain.
import { createWalletClient, custom, verifyTypedData, type EIP1193Provider } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it, vi } from "vitest";
import { localChain } from "./chain-config";
import { createLocalWallet, WalletErrorCode, type PromptKind } from "./local-wallet";
import { createPayingFetch, payQuoted, toX402Signer } from "./x402-signer";
import { ANVIL_KEYS } from "@/lib/devnet/deploy"; // anvil's published test keys

// anvil's account 3 (the first reader of the local stack).
const KEY = ANVIL_KEYS[3];
const ACCOUNT = privateKeyToAccount(KEY);
const CHAIN = localChain(31337, "http://127.0.0.1:1"); // never contacted
const USDC = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const PAY_TO = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

function setup(approve?: (p: { kind: PromptKind }) => boolean) {
  const wallet = createLocalWallet({ account: ACCOUNT, chains: [CHAIN], approve });
  const walletClient = createWalletClient({
    account: ACCOUNT.address, // a JSON-RPC account, as wagmi hands out
    chain: CHAIN,
    transport: custom(wallet as unknown as EIP1193Provider),
  });
  return { wallet, walletClient };
}

function paymentRequired(amount: string) {
  return {
    x402Version: 2,
    extensions: { "payment-identifier": { info: { required: false } } },
    error: "PAYMENT-SIGNATURE header is required",
    resource: { url: "http://kiosk.test/api/articles/a", description: "A", mimeType: "application/json" },
    accepts: [
      {
        scheme: "exact",
        network: "eip155:31337",
        asset: USDC,
        amount,
        payTo: PAY_TO,
        maxTimeoutSeconds: 300,
        extra: { name: "USD Coin", version: "2" },
      },
    ],
  };
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64");
const unb64 = (s: string) => JSON.parse(Buffer.from(s, "base64").toString("utf8")) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("local wallet", () => {
  it("hides the account until the site asks, then signs", async () => {
    const { wallet } = setup();
    expect(await wallet.request({ method: "eth_accounts" })).toEqual([]);
    const changed = vi.fn();
    wallet.on("accountsChanged", changed);
    expect(await wallet.request({ method: "eth_requestAccounts" })).toEqual([ACCOUNT.address]);
    expect(changed).toHaveBeenCalledWith([ACCOUNT.address]);
    expect(await wallet.request({ method: "eth_accounts" })).toEqual([ACCOUNT.address]);
    expect(await wallet.request({ method: "eth_chainId" })).toBe("0x7a69");
  });

  it("refuses with 4001 when the user says no, and typed data for another chain", async () => {
    let answer = true;
    const { wallet, walletClient } = setup(({ kind }) => kind !== "signature" || answer);
    await walletClient.requestAddresses();
    answer = false;
    await expect(walletClient.signMessage({ message: "hi" })).rejects.toMatchObject({
      code: WalletErrorCode.userRejected,
    });
    answer = true;
    await expect(
      wallet.request({
        method: "eth_signTypedData_v4",
        params: [
          ACCOUNT.address,
          JSON.stringify({
            domain: { chainId: 8453 },
            types: { M: [{ name: "a", type: "uint256" }] },
            primaryType: "M",
            message: { a: "1" },
          }),
        ],
      }),
    ).rejects.toMatchObject({ code: WalletErrorCode.invalidParams });
  });
});

describe("toX402Signer + createPayingFetch", () => {
  it("pays a 402 with an EIP-3009 authorization that recovers to the reader", async () => {
    const { walletClient } = setup();
    await walletClient.requestAddresses();
    const signer = toX402Signer(walletClient);
    expect(signer.address).toBe(ACCOUNT.address);

    const seen: Headers[] = [];
    const fakeFetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const headers = new Headers(input instanceof Request ? input.headers : init?.headers);
      seen.push(headers);
      if (!headers.get("PAYMENT-SIGNATURE")) {
        return new Response("{}", {
          status: 402,
          headers: { "PAYMENT-REQUIRED": b64(paymentRequired("50000")) },
        });
      }
      return Response.json({ article: { body: "paid" } });
    });

    const payingFetch = createPayingFetch(
      { signer, network: "eip155:31337", asset: USDC, maxAmount: "50000" },
      fakeFetch as typeof fetch,
    );
    const res = await payingFetch("http://kiosk.test/api/articles/a");
    expect(res.status).toBe(200);
    expect(fakeFetch).toHaveBeenCalledTimes(2);

    const payload = unb64(seen[1]!.get("PAYMENT-SIGNATURE")!);
    expect(payload.x402Version).toBe(2);
    expect(payload.accepted.amount).toBe("50000");
    // A fresh payment-identifier, so a retry after a lost answer is recognised as ours.
    expect(payload.extensions["payment-identifier"].info.id).toMatch(/^pay_[0-9a-f]{32}$/);
    const auth = payload.payload.authorization;
    expect(auth).toMatchObject({ from: ACCOUNT.address, to: PAY_TO, value: "50000" });
    const valid = await verifyTypedData({
      address: ACCOUNT.address,
      domain: { name: "USD Coin", version: "2", chainId: 31337, verifyingContract: USDC },
      types: {
        TransferWithAuthorization: [
          { name: "from", type: "address" },
          { name: "to", type: "address" },
          { name: "value", type: "uint256" },
          { name: "validAfter", type: "uint256" },
          { name: "validBefore", type: "uint256" },
          { name: "nonce", type: "bytes32" },
        ],
      },
      primaryType: "TransferWithAuthorization",
      message: {
        from: auth.from,
        to: auth.to,
        value: BigInt(auth.value),
        validAfter: BigInt(auth.validAfter),
        validBefore: BigInt(auth.validBefore),
        nonce: auth.nonce,
      },
      signature: payload.payload.signature,
    });
    expect(valid).toBe(true);
  });

  it("refuses to sign more than the price shown, without asking the wallet", async () => {
    const prompts: PromptKind[] = [];
    const { walletClient } = setup(({ kind }) => {
      prompts.push(kind);
      return true;
    });
    await walletClient.requestAddresses();
    const fakeFetch = vi.fn(
      async () =>
        new Response("{}", { status: 402, headers: { "PAYMENT-REQUIRED": b64(paymentRequired("60000")) } }),
    );
    const payingFetch = createPayingFetch(
      { signer: toX402Signer(walletClient), network: "eip155:31337", asset: USDC, maxAmount: "50000" },
      fakeFetch as typeof fetch,
    );
    await expect(payingFetch("http://kiosk.test/api/articles/a")).rejects.toThrow(/maxAmountPerPayment/);
    expect(prompts).toEqual(["connect"]);
  });
});

describe("payQuoted: paying the 402 the paywall already read", () => {
  const URL_A = "http://kiosk.test/api/articles/a";
  /** A connected wallet that signs everything and counts its signature prompts. */
  async function connected() {
    const prompts: PromptKind[] = [];
    const { walletClient } = setup(({ kind }) => {
      prompts.push(kind);
      return true;
    });
    await walletClient.requestAddresses();
    const options = {
      signer: toX402Signer(walletClient),
      network: "eip155:31337" as const,
      asset: USDC as `0x${string}`,
      maxAmount: "50000",
    };
    return {
      signatures: () => prompts.filter((k) => k === "signature").length,
      /** Pays a quote of 50000 (the page's price) against `fetchFn`. */
      pay: (fetchFn: unknown) =>
        payQuoted(options, paymentRequired("50000") as never, URL_A, {}, fetchFn as typeof fetch),
    };
  }

  /** A server whose price is `price()`: a payment for another amount gets a 402 with the current terms. */
  function server(
    price: () => string,
    settle: (amount: string) => Response = () => Response.json({ ok: true }),
  ) {
    const signed: string[] = [];
    const fetchFn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const headers = new Headers(input instanceof Request ? input.headers : init?.headers);
      const header = headers.get("PAYMENT-SIGNATURE");
      const terms = () =>
        new Response("{}", { status: 402, headers: { "PAYMENT-REQUIRED": b64(paymentRequired(price())) } });
      if (!header) return terms();
      const amount = unb64(header).accepted.amount as string;
      signed.push(amount);
      return amount === price() ? settle(amount) : terms();
    });
    return { fetchFn, signed };
  }

  it("sends one request, signed for the quoted terms: no second 402 round trip", async () => {
    const wallet = await connected();
    const { fetchFn, signed } = server(() => "50000");
    const res = await wallet.pay(fetchFn);
    expect(res.status).toBe(200);
    expect(fetchFn).toHaveBeenCalledTimes(1);
    expect(signed).toEqual(["50000"]);
  });

  it("reads the new terms and signs again when the price dropped since the quote", async () => {
    const wallet = await connected();
    const { fetchFn, signed } = server(() => "40000"); // a promotion started after the page asked
    const res = await wallet.pay(fetchFn);
    expect(res.status).toBe(200);
    expect(signed).toEqual(["50000", "40000"]);
  });

  it("never signs above the price shown, even when the server raised it since", async () => {
    const wallet = await connected();
    const { fetchFn, signed } = server(() => "60000");
    await expect(wallet.pay(fetchFn)).rejects.toThrow(/maxAmountPerPayment/);
    expect(signed).toEqual(["50000"]); // the stale one, refused by the server before any settlement
    expect(wallet.signatures()).toBe(1);
  });

  it("returns a refusal for the same terms as it is: one signature, no retry", async () => {
    const wallet = await connected();
    const refuse = () =>
      new Response(JSON.stringify({ reason: "insufficient_funds" }), {
        status: 402,
        headers: { "PAYMENT-REQUIRED": b64(paymentRequired("50000")) },
      });
    const { fetchFn } = server(() => "50000", refuse);
    const res = await wallet.pay(fetchFn);
    expect(res.status).toBe(402);
    expect(fetchFn).toHaveBeenCalledTimes(1);
    expect(wallet.signatures()).toBe(1);
  });
});
