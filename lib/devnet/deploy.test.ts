// deployDevnet on a real anvil: deterministic, idempotent, resumable, and honest when the chain
// is in a state it cannot explain.
import {
  createTestClient,
  encodeDeployData,
  getContractAddress,
  http,
  publicActions,
  walletActions,
  type Address,
} from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  multicall3Artifact,
  testSmartWalletFactoryArtifact,
  testUsdcArtifact,
} from "../../contracts/artifacts";
import { startAnvil } from "./anvil";
import {
  ANVIL_KEYS,
  ANVIL_MNEMONIC,
  MULTICALL3_ADDRESS,
  READER_STARTING_BALANCE,
  deployDevnet,
  devnetAccounts,
} from "./deploy";
import { devnetSchema } from "./file";
import { freePort, startTestDevnet, type TestDevnet } from "./testing";

const abi = testUsdcArtifact.abi;

function clientFor(rpcUrl: string) {
  return createTestClient({ mode: "anvil", transport: http(rpcUrl), pollingInterval: 50 })
    .extend(publicActions)
    .extend(walletActions);
}

async function balances(rpcUrl: string, usdc: Address, addresses: readonly string[]): Promise<bigint[]> {
  const client = clientFor(rpcUrl);
  return Promise.all(
    addresses.map(
      (address) =>
        client.readContract({
          address: usdc,
          abi,
          functionName: "balanceOf",
          args: [address],
        }) as Promise<bigint>,
    ),
  );
}

describe("devnet accounts", () => {
  it("hard-codes exactly the keys the anvil mnemonic derives", () => {
    ANVIL_KEYS.forEach((key, addressIndex) => {
      const derived = mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex });
      expect(privateKeyToAccount(key).address).toBe(derived.address);
    });
  });

  it("assigns deployer, publisher, relayer, ten readers and one unfunded account", () => {
    expect(devnetAccounts().map((a) => a.role)).toEqual([
      "deployer",
      "publisher",
      "relayer",
      ...Array<string>(10).fill("reader"),
      "unfunded",
    ]);
  });
});

describe("deployDevnet", () => {
  let chain: TestDevnet;

  beforeAll(async () => {
    chain = await startTestDevnet();
  });
  afterAll(async () => {
    await chain?.stop();
  });

  it("describes the chain in the devnet.json schema, with the deterministic token address", () => {
    const { devnet } = chain;
    expect(devnetSchema.parse(devnet)).toEqual(devnet);
    expect(devnet.usdc).toBe("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    expect(devnet.chainId).toBe(31337);
    expect(devnet.multicall).toBe(MULTICALL3_ADDRESS);
    expect(devnet.payTo).toBe(devnet.accounts.find((a) => a.role === "publisher")?.address);
    expect(devnet.facilitator).toBe(devnet.accounts.find((a) => a.role === "relayer")?.address);
    expect(devnet.walletFactory).toBe("0xB7f8BC63BbcaD18155201308C8f3540b07f84F5e");
  });

  it("deploys the counterfactual wallet factory, whose addresses hold no code until created", async () => {
    const client = clientFor(chain.rpcUrl);
    const factory = chain.devnet.walletFactory as Address;
    expect(await client.getCode({ address: factory })).toBe(testSmartWalletFactoryArtifact.deployedBytecode);
    const owner = devnetAccounts()[13]!.address as Address;
    const predicted = await client.readContract({
      address: factory,
      abi: testSmartWalletFactoryArtifact.abi,
      functionName: "getAddress",
      args: [owner, `0x${"00".repeat(31)}07`],
    });
    expect(predicted).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(await client.getCode({ address: predicted as Address })).toBeUndefined();
  });

  it("plants Multicall3 at its canonical address, usable through viem's multicall (aggregate3)", async () => {
    const client = clientFor(chain.rpcUrl);
    expect(await client.getCode({ address: MULTICALL3_ADDRESS })).toBe(multicall3Artifact.deployedBytecode);
    const readers = chain.devnet.accounts.filter((a) => a.role === "reader").map((a) => a.address as Address);
    const results = await client.multicall({
      multicallAddress: MULTICALL3_ADDRESS,
      contracts: readers.map((r) => ({
        address: chain.devnet.usdc as Address,
        abi,
        functionName: "balanceOf",
        args: [r],
      })),
    });
    expect(results.map((r) => r.result)).toEqual(readers.map(() => READER_STARTING_BALANCE));
  });

  it("is idempotent: a second run reuses the token and mints nothing", async () => {
    const client = clientFor(chain.rpcUrl);
    const everyone = chain.devnet.accounts.map((a) => a.address);
    const usdc = chain.devnet.usdc as Address;
    const deployer = chain.devnet.accounts[0]?.address as Address;
    const before = {
      balances: await balances(chain.rpcUrl, usdc, everyone),
      nonce: await client.getTransactionCount({ address: deployer }),
      block: await client.getBlockNumber(),
    };

    const again = await deployDevnet(chain.rpcUrl);

    expect(again).toEqual(chain.devnet);
    expect(await balances(chain.rpcUrl, usdc, everyone)).toEqual(before.balances);
    expect(await client.getTransactionCount({ address: deployer })).toBe(before.nonce);
    expect(await client.getBlockNumber()).toBe(before.block);
  });

  it("refuses a chain where the deployer has moved on but the token is missing", async () => {
    const client = clientFor(chain.rpcUrl);
    const usdc = chain.devnet.usdc as Address;
    const code = await client.getCode({ address: usdc });
    if (!code) throw new Error("token missing");
    await client.setCode({ address: usdc, bytecode: "0x" });
    try {
      await expect(deployDevnet(chain.rpcUrl)).rejects.toThrow(
        /has sent \d+ transaction\(s\) on this chain but no token is at/,
      );
    } finally {
      await client.setCode({ address: usdc, bytecode: code });
    }
  });
});

describe("deployDevnet on a chain it set up only partly", () => {
  it("finishes the missing mints without repeating the ones done", async () => {
    const anvil = await startAnvil({ port: await freePort() });
    try {
      const client = clientFor(anvil.rpcUrl);
      const deployer = privateKeyToAccount(ANVIL_KEYS[0]);
      // Deploy and mint to the first two readers by hand, as an interrupted run would have.
      const hashes = [
        await client.sendTransaction({
          account: deployer,
          chain: null,
          data: encodeDeployData({ abi, bytecode: testUsdcArtifact.bytecode, args: [deployer.address] }),
        }),
      ];
      const usdc = getContractAddress({ from: deployer.address, nonce: 0n });
      const readers = devnetAccounts().filter((a) => a.role === "reader");
      for (const r of readers.slice(0, 2)) {
        hashes.push(
          await client.writeContract({
            account: deployer,
            chain: null,
            address: usdc,
            abi,
            functionName: "mint",
            args: [r.address, READER_STARTING_BALANCE],
          }),
        );
      }
      await Promise.all(hashes.map((hash) => client.waitForTransactionReceipt({ hash })));

      const devnet = await deployDevnet(anvil.rpcUrl);

      expect(devnet.usdc).toBe(usdc);
      expect(
        await balances(
          anvil.rpcUrl,
          usdc,
          readers.map((r) => r.address),
        ),
      ).toEqual(readers.map(() => READER_STARTING_BALANCE));
    } finally {
      await anvil.stop();
    }
  });

  it("works with interval mining (blocks every second)", async () => {
    const started = performance.now();
    const chain = await startTestDevnet({ blockTime: 1 });
    try {
      const readers = chain.devnet.accounts.filter((a) => a.role === "reader").map((a) => a.address);
      expect(await balances(chain.rpcUrl, chain.devnet.usdc as Address, readers)).toEqual(
        readers.map(() => READER_STARTING_BALANCE),
      );
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      await chain.stop();
    }
  });
});
