// Smart-contract wallets on the local chain, for tests: a deployed ERC-1271 wallet, and a
// counterfactual one (ERC-6492) whose address the devnet's factory predicts before it exists.
// Either holds USDC at the contract's address and signs with its owner's key; the counterfactual
// one wraps each signature in ERC-6492 (factory + `createAccount` calldata), as wallets that are
// deployed on first use do.
import {
  createTestClient,
  encodeFunctionData,
  http,
  publicActions,
  serializeErc6492Signature,
  walletActions,
  type Address,
  type Hex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import {
  testSmartWalletArtifact,
  testSmartWalletFactoryArtifact,
  testUsdcArtifact,
} from "../../contracts/artifacts";
import type { Devnet } from "./file";

export type SmartWalletKind = "erc1271" | "erc6492";

export type SmartWallet = {
  kind: SmartWalletKind;
  /** The contract's address: the payer, the signer of record, where the USDC is. */
  address: Address;
  owner: PrivateKeyAccount;
  /** The x402 signer seam (`{ address, signTypedData }`): the owner signs, for the wallet. */
  signTypedData(message: {
    domain: Record<string, unknown>;
    types: Record<string, unknown>;
    primaryType: string;
    message: Record<string, unknown>;
  }): Promise<Hex>;
  /** What the wallet does to its owner's signature (ERC-6492 wrapping, or nothing). */
  wrap(signature: Hex): Hex;
  /** EIP-191 (personal_sign), as a wallet answers a sign-in or a claim. */
  signMessage(input: { message: string }): Promise<Hex>;
  /** The owner makes the wallet call `target` (it pays the gas; the wallet must be deployed). */
  execute(target: Address, data: Hex): Promise<Hex>;
};

function clientFor(rpcUrl: string) {
  return createTestClient({ mode: "anvil", transport: http(rpcUrl), pollingInterval: 20 })
    .extend(publicActions)
    .extend(walletActions);
}

/** A fresh owner key with gas money (it sends only the wallet's own transactions). */
async function fundedOwner(rpcUrl: string): Promise<PrivateKeyAccount> {
  const owner = privateKeyToAccount(generatePrivateKey());
  await clientFor(rpcUrl).setBalance({ address: owner.address, value: 10n ** 18n });
  return owner;
}

async function mintUsdc(devnet: Devnet, rpcUrl: string, to: Address, amount: bigint): Promise<void> {
  const client = clientFor(rpcUrl);
  const deployer = privateKeyToAccount(devnet.accounts.find((a) => a.role === "deployer")!.privateKey as Hex);
  const hash = await client.writeContract({
    account: deployer,
    chain: null,
    address: devnet.usdc as Address,
    abi: testUsdcArtifact.abi,
    functionName: "mint",
    args: [to, amount],
  });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`minting USDC to ${to} reverted`);
}

function walletOf(
  kind: SmartWalletKind,
  address: Address,
  owner: PrivateKeyAccount,
  rpcUrl: string,
  wrap: (signature: Hex) => Hex,
): SmartWallet {
  return {
    kind,
    address,
    owner,
    wrap,
    // TestSmartWallet checks the owner's ECDSA signature over the very digest it is asked about,
    // so the owner signs the same typed data (or message) the wallet is asked to vouch for.
    signTypedData: async (m) =>
      wrap(await owner.signTypedData(m as Parameters<typeof owner.signTypedData>[0])),
    signMessage: async ({ message }) => wrap(await owner.signMessage({ message })),
    async execute(target, data) {
      const client = clientFor(rpcUrl);
      const hash = await client.sendTransaction({
        account: owner,
        chain: null,
        to: address,
        data: encodeFunctionData({
          abi: testSmartWalletArtifact.abi,
          functionName: "execute",
          args: [target, data],
        }),
        gas: 200_000n,
      });
      await client.waitForTransactionReceipt({ hash });
      return hash;
    },
  };
}

/** A TestSmartWallet deployed by its owner, holding `usdc` atomic units. */
export async function deployedSmartWallet(
  devnet: Devnet,
  rpcUrl: string,
  usdc: bigint,
): Promise<SmartWallet> {
  const client = clientFor(rpcUrl);
  const owner = await fundedOwner(rpcUrl);
  const hash = await client.deployContract({
    account: owner,
    chain: null,
    abi: testSmartWalletArtifact.abi,
    bytecode: testSmartWalletArtifact.bytecode,
    args: [owner.address],
  });
  const { contractAddress } = await client.waitForTransactionReceipt({ hash });
  if (!contractAddress) throw new Error("the smart wallet was not deployed");
  await mintUsdc(devnet, rpcUrl, contractAddress, usdc);
  return walletOf("erc1271", contractAddress, owner, rpcUrl, (signature) => signature);
}

/**
 * A wallet that does not exist yet: its address is the factory's prediction, which already holds
 * `usdc`; every signature carries the factory call that would deploy it (ERC-6492).
 */
export async function counterfactualSmartWallet(
  devnet: Devnet,
  rpcUrl: string,
  usdc: bigint,
): Promise<SmartWallet & { factory: Address; factoryCalldata: Hex }> {
  const client = clientFor(rpcUrl);
  const owner = await fundedOwner(rpcUrl);
  const factory = devnet.walletFactory as Address;
  const salt = `0x${"00".repeat(31)}01` as Hex;
  const address = (await client.readContract({
    address: factory,
    abi: testSmartWalletFactoryArtifact.abi,
    functionName: "getAddress",
    args: [owner.address, salt],
  })) as Address;
  const factoryCalldata = encodeFunctionData({
    abi: testSmartWalletFactoryArtifact.abi,
    functionName: "createAccount",
    args: [owner.address, salt],
  });
  await mintUsdc(devnet, rpcUrl, address, usdc);
  const wallet = walletOf("erc6492", address, owner, rpcUrl, (signature) =>
    serializeErc6492Signature({ address: factory, data: factoryCalldata, signature }),
  );
  return { ...wallet, factory, factoryCalldata };
}
