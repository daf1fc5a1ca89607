// The official x402 exact-EVM client and facilitator, pointed at TestUSDC on anvil: proves the
// token's domain, typehashes and revert strings are what the SDK expects, and that the Multicall3
// planted by deployDevnet turns a failed simulation into a precise reason.
import { toClientEvmSigner, toFacilitatorEvmSigner } from "@x402/evm";
import { ExactEvmScheme as ExactEvmClient } from "@x402/evm/exact/client";
import { ExactEvmScheme as ExactEvmFacilitator } from "@x402/evm/exact/facilitator";
import type { PaymentPayload, PaymentRequirements } from "@x402/core/types";
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  http,
  publicActions,
  type Address,
  type Hex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountByRole } from "../lib/devnet/file";
import { startTestDevnet, type TestDevnet } from "../lib/devnet/testing";
import { testSmartWalletArtifact, testUsdcArtifact } from "./artifacts";

let chain: TestDevnet;
let facilitator: ExactEvmFacilitator;
let requirements: PaymentRequirements;

beforeAll(async () => {
  chain = await startTestDevnet();
  const relayer = privateKeyToAccount(accountByRole(chain.devnet, "relayer").privateKey as Hex);
  const relayerClient = createWalletClient({
    account: relayer,
    chain: foundry,
    transport: http(chain.rpcUrl),
  }).extend(publicActions);
  facilitator = new ExactEvmFacilitator(
    toFacilitatorEvmSigner({
      address: relayer.address,
      readContract: (args) =>
        relayerClient.readContract(args as Parameters<typeof relayerClient.readContract>[0]),
      verifyTypedData: (args) =>
        relayerClient.verifyTypedData(args as Parameters<typeof relayerClient.verifyTypedData>[0]),
      writeContract: (args) =>
        relayerClient.writeContract(args as Parameters<typeof relayerClient.writeContract>[0]),
      sendTransaction: (args) => relayerClient.sendTransaction(args),
      waitForTransactionReceipt: (args) => relayerClient.waitForTransactionReceipt(args),
      getCode: (args) => relayerClient.getCode(args),
    }),
  );
  requirements = {
    scheme: "exact",
    network: `eip155:${chain.devnet.chainId}`,
    asset: chain.devnet.usdc,
    amount: "10000",
    payTo: chain.devnet.payTo,
    maxTimeoutSeconds: 300,
    extra: { name: "USD Coin", version: "2" },
  };
});

afterAll(async () => {
  await chain?.stop();
});

function payerSigner(key: Hex, address?: Address) {
  const account = privateKeyToAccount(key);
  const publicClient = createPublicClient({ chain: foundry, transport: http(chain.rpcUrl) });
  // A smart wallet pays from its own address but signs with its owner's key.
  return toClientEvmSigner(
    {
      address: address ?? account.address,
      signTypedData: (args) => account.signTypedData(args as Parameters<typeof account.signTypedData>[0]),
    },
    publicClient,
  );
}

async function pay(key: Hex, address?: Address): Promise<PaymentPayload> {
  const result = await new ExactEvmClient(payerSigner(key, address)).createPaymentPayload(2, requirements);
  return {
    x402Version: 2,
    accepted: requirements,
    payload: result.payload,
    resource: { url: "http://kiosk.test/a" },
  };
}

describe("official x402 exact EVM scheme against TestUSDC", () => {
  it("verifies and settles an EOA payment, then reports the reused nonce precisely", async () => {
    const reader = chain.devnet.accounts.find((a) => a.role === "reader");
    if (!reader) throw new Error("no reader");
    const payload = await pay(reader.privateKey as Hex);

    expect(await facilitator.verify(payload, requirements)).toMatchObject({ isValid: true });
    const settled = await facilitator.settle(payload, requirements);
    expect(settled).toMatchObject({ success: true, network: requirements.network });
    expect(settled.transaction).toMatch(/^0x[0-9a-f]{64}$/);

    // Without Multicall3 at its canonical address this would read "…_transaction_simulation_failed".
    expect(await facilitator.verify(payload, requirements)).toMatchObject({
      isValid: false,
      invalidReason: "invalid_exact_evm_nonce_already_used",
    });
  });

  it("reports an empty wallet as insufficient balance", async () => {
    const unfunded = accountByRole(chain.devnet, "unfunded");
    const payload = await pay(unfunded.privateKey as Hex);
    expect(await facilitator.verify(payload, requirements)).toMatchObject({
      isValid: false,
      invalidReason: "invalid_exact_evm_insufficient_balance",
    });
  });

  it("settles a payment from an ERC-1271 smart wallet (bytes-signature overload)", async () => {
    const deployer = privateKeyToAccount(accountByRole(chain.devnet, "deployer").privateKey as Hex);
    const owner = accountByRole(chain.devnet, "unfunded"); // any key works; the wallet holds the USDC
    const client = createWalletClient({
      account: deployer,
      chain: foundry,
      transport: http(chain.rpcUrl),
    }).extend(publicActions);
    const deployHash = await client.deployContract({
      abi: testSmartWalletArtifact.abi,
      bytecode: testSmartWalletArtifact.bytecode,
      args: [owner.address],
    });
    const walletAddress = (await client.waitForTransactionReceipt({ hash: deployHash })).contractAddress;
    if (!walletAddress) throw new Error("no wallet address");
    const mintHash = await client.writeContract({
      address: chain.devnet.usdc as Address,
      abi: testUsdcArtifact.abi,
      functionName: "mint",
      args: [walletAddress, 1_000_000n],
    });
    await client.waitForTransactionReceipt({ hash: mintHash });

    const payload = await pay(owner.privateKey as Hex, walletAddress);
    expect(await facilitator.verify(payload, requirements)).toMatchObject({
      isValid: true,
      payer: walletAddress,
    });
    expect(await facilitator.settle(payload, requirements)).toMatchObject({ success: true });
    expect(
      await client.readContract({
        address: chain.devnet.usdc as Address,
        abi: testUsdcArtifact.abi,
        functionName: "balanceOf",
        args: [walletAddress],
      }),
    ).toBe(990_000n);
  });
});

describe("why deployDevnet plants Multicall3", () => {
  it("without it, the facilitator can only say the simulation failed", async () => {
    const test = createTestClient({ mode: "anvil", transport: http(chain.rpcUrl) }).extend(publicActions);
    const multicall = chain.devnet.multicall as Address;
    const code = await test.getCode({ address: multicall });
    if (!code) throw new Error("Multicall3 missing");
    const unfunded = accountByRole(chain.devnet, "unfunded");
    const payload = await pay(unfunded.privateKey as Hex);
    await test.setCode({ address: multicall, bytecode: "0x" });
    try {
      expect(await facilitator.verify(payload, requirements)).toMatchObject({
        isValid: false,
        invalidReason: "invalid_exact_evm_transaction_simulation_failed",
      });
    } finally {
      await test.setCode({ address: multicall, bytecode: code });
    }
  });
});
