// The injected test wallet itself, exercised the way a dapp uses it (window.ethereum and
// EIP-6963) on a real Kiosk page and a real chain. The specs that pay rely on all of this.
import { encodeFunctionData, erc20Abi, recoverTypedDataAddress, verifyMessage, type Hex } from "viem";
import { expect, pickAccount, test, TEST_WALLET_NAME, TEST_WALLET_RDNS, usdcBalance } from "./fixtures";

type Eip1193Error = { code: number; message: string };

/** window.ethereum.request in the page; a rejection comes back as { error } with its code. */
async function ethereum(page: import("@playwright/test").Page, method: string, params?: unknown[]) {
  return page.evaluate(
    async ({ method, params }) => {
      const provider = (window as unknown as { ethereum: { request(a: unknown): Promise<unknown> } })
        .ethereum;
      try {
        return { result: await provider.request({ method, params }) };
      } catch (err) {
        const e = err as { code: number; message: string };
        return { error: { code: e.code, message: e.message } };
      }
    },
    { method, params },
  ) as Promise<{ result?: unknown; error?: Eip1193Error }>;
}

const transferWithAuthorization = (from: string, to: string, chainId: number, verifyingContract: string) => ({
  types: {
    EIP712Domain: [
      { name: "name", type: "string" },
      { name: "version", type: "string" },
      { name: "chainId", type: "uint256" },
      { name: "verifyingContract", type: "address" },
    ],
    TransferWithAuthorization: [
      { name: "from", type: "address" },
      { name: "to", type: "address" },
      { name: "value", type: "uint256" },
      { name: "validAfter", type: "uint256" },
      { name: "validBefore", type: "uint256" },
      { name: "nonce", type: "bytes32" },
    ],
  },
  primaryType: "TransferWithAuthorization" as const,
  domain: { name: "USD Coin", version: "2", chainId, verifyingContract },
  message: {
    from,
    to,
    value: "50000",
    validAfter: "0",
    validBefore: "99999999999",
    nonce: `0x${"ab".repeat(32)}`,
  },
});

test.beforeEach(async ({ page, wallet }) => {
  void wallet; // injected before the first navigation
  await page.goto("/");
});

test("hides the account until the page asks for it, then connects", async ({ page, wallet, devnet }) => {
  expect(await ethereum(page, "eth_accounts")).toEqual({ result: [] });
  expect(await ethereum(page, "eth_chainId")).toEqual({ result: `0x${devnet.chainId.toString(16)}` });

  const changed = page.evaluate(
    () =>
      new Promise((resolve) =>
        (window as unknown as { ethereum: { on(e: string, l: (a: unknown) => void): void } }).ethereum.on(
          "accountsChanged",
          resolve,
        ),
      ),
  );
  expect(await ethereum(page, "eth_requestAccounts")).toEqual({ result: [wallet.address] });
  expect(await changed).toEqual([wallet.address]);
  expect(await ethereum(page, "eth_accounts")).toEqual({ result: [wallet.address] });

  // A reload keeps the grant, as a real wallet does.
  await page.reload();
  expect(await ethereum(page, "eth_accounts")).toEqual({ result: [wallet.address] });
});

test("announces itself through EIP-6963", async ({ page }) => {
  const info = await page.evaluate(
    () =>
      new Promise<{ name: string; rdns: string; icon: string; uuid: string }>((resolve) => {
        window.addEventListener(
          "eip6963:announceProvider",
          (event) => resolve((event as CustomEvent).detail.info),
          { once: true },
        );
        window.dispatchEvent(new Event("eip6963:requestProvider"));
      }),
  );
  expect(info).toMatchObject({ name: TEST_WALLET_NAME, rdns: TEST_WALLET_RDNS });
  expect(info.icon).toMatch(/^data:image\/svg\+xml,/);
  expect(info.uuid).toBeTruthy();
});

test("signs EIP-712 typed data and messages with the devnet account", async ({ page, wallet, devnet }) => {
  await ethereum(page, "eth_requestAccounts");
  const typed = transferWithAuthorization(wallet.address, devnet.payTo, devnet.chainId, devnet.usdc);
  const signed = await ethereum(page, "eth_signTypedData_v4", [wallet.address, JSON.stringify(typed)]);
  expect(signed.error).toBeUndefined();
  const { EIP712Domain: _domain, ...types } = typed.types;
  void _domain;
  const signer = await recoverTypedDataAddress({
    domain: { ...typed.domain, verifyingContract: typed.domain.verifyingContract as Hex },
    types,
    primaryType: typed.primaryType,
    message: {
      ...typed.message,
      from: typed.message.from as Hex,
      to: typed.message.to as Hex,
      value: BigInt(typed.message.value),
      validAfter: 0n,
      validBefore: BigInt(typed.message.validBefore),
      nonce: typed.message.nonce as Hex,
    },
    signature: signed.result as Hex,
  });
  expect(signer).toBe(wallet.address);

  const message = "Sign in to Kiosk";
  const hexMessage = `0x${Buffer.from(message).toString("hex")}`;
  const personal = await ethereum(page, "personal_sign", [hexMessage, wallet.address]);
  expect(await verifyMessage({ address: wallet.address, message, signature: personal.result as Hex })).toBe(
    true,
  );

  // Typed data for another chain is refused, as MetaMask does.
  const otherChain = transferWithAuthorization(wallet.address, devnet.payTo, 8453, devnet.usdc);
  const refused = await ethereum(page, "eth_signTypedData_v4", [wallet.address, JSON.stringify(otherChain)]);
  expect(refused.error?.code).toBe(-32602);
});

test("rejects a signature with 4001 on demand, then signs again", async ({ page, wallet, devnet }) => {
  await ethereum(page, "eth_requestAccounts");
  const typed = JSON.stringify(
    transferWithAuthorization(wallet.address, devnet.payTo, devnet.chainId, devnet.usdc),
  );
  wallet.rejectNext("signature");
  const rejected = await ethereum(page, "eth_signTypedData_v4", [wallet.address, typed]);
  expect(rejected.error?.code).toBe(4001);
  const accepted = await ethereum(page, "eth_signTypedData_v4", [wallet.address, typed]);
  expect(accepted.result).toMatch(/^0x[0-9a-f]{130}$/);
  expect(wallet.prompts.filter((p) => p.kind === "signature").map((p) => p.approved)).toEqual([false, true]);
});

test("sends a transaction to anvil and the USDC balances move", async ({ page, wallet, devnet }) => {
  await ethereum(page, "eth_requestAccounts");
  const to = pickAccount(devnet, { role: "unfunded" }).address;
  const before = { from: await usdcBalance(devnet, wallet.address), to: await usdcBalance(devnet, to) };
  expect(before.from).toBeGreaterThan(10_000n);

  const data = encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [to as Hex, 10_000n] });
  const sent = await ethereum(page, "eth_sendTransaction", [{ from: wallet.address, to: devnet.usdc, data }]);
  expect(sent.error).toBeUndefined();
  await expect
    .poll(async () => (await ethereum(page, "eth_getTransactionReceipt", [sent.result])).result, {
      timeout: 10_000,
    })
    .toMatchObject({ status: "0x1" });

  expect(await usdcBalance(devnet, wallet.address)).toBe(before.from - 10_000n);
  expect(await usdcBalance(devnet, to)).toBe(before.to + 10_000n);
});

test("switches account and chain, and tells the page", async ({ page, wallet, devnet }) => {
  await ethereum(page, "eth_requestAccounts");
  const seen = page.evaluate(
    () =>
      new Promise((resolve) =>
        (window as unknown as { ethereum: { on(e: string, l: (a: unknown) => void): void } }).ethereum.on(
          "accountsChanged",
          resolve,
        ),
      ),
  );
  await wallet.useAccount({ role: "reader", index: 9 });
  const next = pickAccount(devnet, { role: "reader", index: 9 }).address;
  expect(await seen).toEqual([next]);
  expect(await ethereum(page, "eth_accounts")).toEqual({ result: [next] });

  // An unknown chain is refused with 4902 until added, as wallets do.
  const unknown = await ethereum(page, "wallet_switchEthereumChain", [{ chainId: "0x14a34" }]);
  expect(unknown.error?.code).toBe(4902);
  const same = await ethereum(page, "wallet_switchEthereumChain", [
    { chainId: `0x${devnet.chainId.toString(16)}` },
  ]);
  expect(same).toEqual({ result: null });
});
