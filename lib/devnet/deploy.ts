// Puts Kiosk's local chain in its known state: the test USDC at the deployer's first contract
// address, 1,000 USDC for each reader, the counterfactual smart-wallet factory after the mints,
// Multicall3 at its canonical address. Safe to run against a
// chain that already has all this (a restarted `npm run dev` reusing a running anvil).
import {
  createTestClient,
  encodeDeployData,
  encodeFunctionData,
  getContractAddress,
  http,
  publicActions,
  type Address,
  type Hex,
  type TransactionSerializableEIP1559,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  multicall3Artifact,
  testSmartWalletFactoryArtifact,
  testUsdcArtifact,
} from "../../contracts/artifacts";
import { ANVIL_KEYS } from "./anvil-keys";
import type { Devnet, DevnetAccount } from "./file";

export { ANVIL_MNEMONIC } from "./anvil";

/** Where every chain (and viem, and the x402 facilitator) expects Multicall3. */
export const MULTICALL3_ADDRESS: Address = "0xcA11bde05977b3631167028862bE2a173976CA11";

/** 1,000 USDC in atomic units (6 decimals). */
export const READER_STARTING_BALANCE = 1_000_000_000n;

export { ANVIL_KEYS };

/** Mnemonic index → role. Readers are 3..12; the mint's nonce is the reader's position + 1. */
export function roleOfIndex(index: number): DevnetAccount["role"] {
  if (index === 0) return "deployer";
  if (index === 1) return "publisher";
  if (index === 2) return "relayer";
  if (index >= 3 && index <= 12) return "reader";
  if (index === 13) return "unfunded";
  throw new Error(`no devnet role for mnemonic index ${index}`);
}

export function devnetAccounts(): DevnetAccount[] {
  return ANVIL_KEYS.map((privateKey, index) => ({
    role: roleOfIndex(index),
    address: privateKeyToAccount(privateKey).address,
    privateKey,
  }));
}

// Generous fixed limits, so no per-transaction estimate is needed; only gas used is charged.
// Fixed limits also matter with interval mining: a mint estimated before the deploy is mined
// would see no code and get a limit too low to run.
const MINT_GAS = 150_000n;
const FACTORY_GAS = 1_500_000n;

export async function deployDevnet(rpcUrl: string): Promise<Devnet> {
  const client = createTestClient({
    mode: "anvil",
    transport: http(rpcUrl, { retryCount: 0 }),
    pollingInterval: 50,
  }).extend(publicActions);
  const accounts = devnetAccounts();
  const at = (role: DevnetAccount["role"]) => accounts.filter((a) => a.role === role);
  const deployerKey = ANVIL_KEYS[0];
  const deployer = privateKeyToAccount(deployerKey);
  const readers = at("reader").map((a) => a.address as Address);
  const usdc = getContractAddress({ from: deployer.address, nonce: 0n });

  const [chainId, code, nonce] = await Promise.all([
    client.getChainId(),
    client.getCode({ address: usdc }),
    client.getTransactionCount({ address: deployer.address, blockTag: "pending" }),
    // Idempotent, and cheap enough to do every time rather than check first.
    client.setCode({ address: MULTICALL3_ADDRESS, bytecode: multicall3Artifact.deployedBytecode }),
  ]);
  const deployed = code !== undefined && code !== "0x";
  if (!deployed && nonce > 0) {
    throw new Error(
      `the deployer ${deployer.address} has sent ${nonce} transaction(s) on this chain but no token is at ${usdc}; restart anvil with a fresh state`,
    );
  }

  // One transaction per step, nonce = step. A chain that already went part of the way (a deploy
  // interrupted mid-mint) resumes where it stopped instead of minting twice.
  const steps: { data: Hex; to?: Address; gas?: bigint }[] = [];
  const deployData = encodeDeployData({
    abi: testUsdcArtifact.abi,
    bytecode: testUsdcArtifact.bytecode,
    args: [deployer.address],
  });
  steps.push({ data: deployData });
  for (const reader of readers) {
    steps.push({
      to: usdc,
      data: encodeFunctionData({
        abi: testUsdcArtifact.abi,
        functionName: "mint",
        args: [reader, READER_STARTING_BALANCE],
      }),
    });
  }

  // Last, so a chain set up before the factory existed gains it as one more step.
  const walletFactory = getContractAddress({ from: deployer.address, nonce: BigInt(steps.length) });
  steps.push({ data: testSmartWalletFactoryArtifact.bytecode, gas: FACTORY_GAS });

  const pending = steps.slice(deployed ? Math.max(nonce, 1) : 0);
  const firstNonce = steps.length - pending.length;
  if (pending.length > 0) {
    const [fees, deployGas] = await Promise.all([
      client.estimateFeesPerGas({ chain: null }),
      deployed ? Promise.resolve(0n) : client.estimateGas({ account: deployer.address, data: deployData }),
    ]);
    // Sign locally and send raw: viem's sendTransaction would ask the node for the chain id,
    // nonce, fees and gas once per transaction.
    const signed = await Promise.all(
      pending.map((step, i) => {
        const tx: TransactionSerializableEIP1559 = {
          type: "eip1559",
          chainId,
          nonce: firstNonce + i,
          to: step.to ?? null,
          data: step.data,
          gas: step.gas ?? (step.to ? MINT_GAS : (deployGas * 12n) / 10n),
          maxFeePerGas: fees.maxFeePerGas * 2n,
          maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
        };
        return deployer.signTransaction(tx);
      }),
    );
    // In order: anvil would park a nonce gap rather than mine past it.
    const hashes: Hex[] = [];
    for (const raw of signed) hashes.push(await client.sendRawTransaction({ serializedTransaction: raw }));
    const last = hashes[hashes.length - 1];
    if (last === undefined) throw new Error("unreachable: no transactions were sent");
    await client.waitForTransactionReceipt({ hash: last, timeout: 60_000 });
    const receipts = await Promise.all(hashes.map((hash) => client.getTransactionReceipt({ hash })));
    const failed = receipts.find((r) => r.status !== "success");
    if (failed) throw new Error(`devnet setup transaction ${failed.transactionHash} reverted`);
  }

  const account = (role: DevnetAccount["role"]): Address => {
    const found = at(role)[0];
    if (!found) throw new Error(`unreachable: no ${role} account`);
    return found.address as Address;
  };
  return {
    rpcUrl,
    chainId,
    usdc,
    payTo: account("publisher"),
    facilitator: account("relayer"),
    multicall: MULTICALL3_ADDRESS,
    walletFactory,
    accounts,
  };
}
