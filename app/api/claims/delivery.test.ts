// A purchase delivers the same thing whichever way it was paid: what the transfer claim hands
// over (body and Content-Type) is byte for byte what the GET route serves to the receipt it
// issued. Wired from env like the server: a devnet file in a temp folder, PGlite there, a real
// anvil; the reader sends an ordinary USDC transfer and signs the claim.
import { createPublicClient, createWalletClient, encodeFunctionData, http, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, expect, it } from "vitest";
import { seedDataEndpoints } from "@/lib/db/seed-content";
import { startRouteTestSite, type RouteTestSite } from "@/lib/devnet/route-testing";
import type { TestDevnet } from "@/lib/devnet/testing";
import { claimMessage } from "@/lib/payments/claim-message";
import { usdcAbi } from "@/lib/payments/testing";
import { GET as getArticle } from "../articles/[slug]/route";
import { GET as getData } from "../data/[...path]/route";
import { POST as postClaim } from "./route";

const ORIGIN = "http://127.0.0.1:3000";
let chain: TestDevnet;

let site: RouteTestSite;
beforeAll(async () => {
  site = await startRouteTestSite("kiosk-claim-delivery-");
  chain = site.chain;
});
afterAll(() => site?.stop());

type Target = { apiPath: string; key: string; get: (headers?: HeadersInit) => Promise<Response> };

const dataset = (p: string): Target => ({
  apiPath: `/api/data/${p}`,
  key: `data:${p}`,
  get: (headers) =>
    getData(new Request(`${ORIGIN}/api/data/${p}`, { headers }), {
      params: Promise.resolve({ path: p.split("/") }),
    }),
});
const article = (slug: string): Target => ({
  apiPath: `/api/articles/${slug}`,
  key: `article:${slug}`,
  get: (headers) =>
    getArticle(new Request(`${ORIGIN}/api/articles/${slug}`, { headers }), {
      params: Promise.resolve({ slug }),
    }),
});

/** Takes the 402's transfer quote, sends exactly its amount to the publisher, and claims it. */
async function buyByTransfer(target: Target, readerIndex: number): Promise<Response> {
  const unpaid = await target.get();
  expect(unpaid.status).toBe(402);
  const offer = (await unpaid.json()) as { payTo: Hex; transferQuote: { token: string; amount: string } };
  const reader = privateKeyToAccount(
    chain.devnet.accounts.filter((a) => a.role === "reader")[readerIndex]!.privateKey as Hex,
  );
  const wallet = createWalletClient({ account: reader, transport: http(chain.rpcUrl) });
  const txHash = await wallet.sendTransaction({
    chain: null,
    to: chain.devnet.usdc as Hex,
    data: encodeFunctionData({
      abi: usdcAbi,
      functionName: "transfer",
      args: [offer.payTo, BigInt(offer.transferQuote.amount)],
    }),
    gas: 100_000n,
  });
  await createPublicClient({ transport: http(chain.rpcUrl) }).waitForTransactionReceipt({
    hash: txHash,
    pollingInterval: 20,
  });
  const issuedAt = new Date().toISOString();
  const signature = await reader.signMessage({
    message: claimMessage({
      origin: ORIGIN,
      resource: target.key,
      txHash,
      chainId: chain.devnet.chainId,
      issuedAt,
    }),
  });
  return postClaim(
    new Request(`${ORIGIN}/api/claims`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        resource: target.apiPath,
        txHash,
        signature,
        quote: offer.transferQuote.token,
        issuedAt,
      }),
    }),
  );
}

/** The claim's delivery next to the GET route's answer to the receipt the claim issued. */
async function bothDeliveries(target: Target, readerIndex: number) {
  const claimed = await buyByTransfer(target, readerIndex);
  expect(claimed.status, await claimed.clone().text()).toBe(200);
  const receipt = claimed.headers.get("kiosk-receipt")!;
  const served = await target.get({ authorization: `Bearer ${receipt}` });
  expect(served.status).toBe(200);
  expect(served.headers.get("x-kiosk-access")).toBe("receipt");
  return { claimed, served };
}

it("a CSV bought by transfer comes with the data route's Content-Type (charset included) and bytes", async () => {
  const csv = seedDataEndpoints.find((d) => d.path === "weather/harbor-tides.csv")!;
  const { claimed, served } = await bothDeliveries(dataset(csv.path), 0);
  expect(served.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(claimed.headers.get("content-type")).toBe(served.headers.get("content-type"));
  expect(await claimed.text()).toBe(await served.text());
});

it("an article bought by transfer is the same JSON the article route serves", async () => {
  const { claimed, served } = await bothDeliveries(article("the-long-wait-for-402"), 1);
  expect(claimed.headers.get("content-type")).toBe(served.headers.get("content-type"));
  expect(await claimed.text()).toBe(await served.text());
});
