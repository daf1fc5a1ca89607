// TestUSDC on a real anvil: the EIP-3009 and EIP-2612 behaviour x402 depends on, including the
// revert conditions of Circle's FiatToken v2 (the facilitator maps their messages to reasons).
import {
  createPublicClient,
  createWalletClient,
  http,
  parseSignature,
  toHex,
  type Address,
  type Hex,
  type PrivateKeyAccount,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountByRole } from "../lib/devnet/file";
import { READER_STARTING_BALANCE } from "../lib/devnet/deploy";
import { startTestDevnet, type TestDevnet } from "../lib/devnet/testing";
import { testSmartWalletArtifact, testUsdcArtifact } from "./artifacts";

const abi = testUsdcArtifact.abi;

let chain: TestDevnet;
let usdc: Address;
let publicClient: ReturnType<typeof makePublic>;
let deployer: PrivateKeyAccount;
let relayer: PrivateKeyAccount;
let publisher: PrivateKeyAccount;
let readers: PrivateKeyAccount[];

function makePublic(rpcUrl: string) {
  return createPublicClient({ chain: foundry, transport: http(rpcUrl), pollingInterval: 50 });
}

function wallet(account: PrivateKeyAccount) {
  return createWalletClient({ account, chain: foundry, transport: http(chain.rpcUrl) });
}

function reader(i: number): PrivateKeyAccount {
  const r = readers[i];
  if (!r) throw new Error(`no reader ${i}`);
  return r;
}

beforeAll(async () => {
  chain = await startTestDevnet();
  usdc = chain.devnet.usdc as Address;
  publicClient = makePublic(chain.rpcUrl);
  const key = (role: Parameters<typeof accountByRole>[1]) =>
    privateKeyToAccount(accountByRole(chain.devnet, role).privateKey as Hex);
  deployer = key("deployer");
  relayer = key("relayer");
  publisher = key("publisher");
  readers = chain.devnet.accounts
    .filter((a) => a.role === "reader")
    .map((a) => privateKeyToAccount(a.privateKey as Hex));
});

afterAll(async () => {
  await chain?.stop();
});

const domain = () => ({
  name: "USD Coin",
  version: "2",
  chainId: chain.devnet.chainId,
  verifyingContract: usdc,
});

const authorizationFields = [
  { name: "from", type: "address" },
  { name: "to", type: "address" },
  { name: "value", type: "uint256" },
  { name: "validAfter", type: "uint256" },
  { name: "validBefore", type: "uint256" },
  { name: "nonce", type: "bytes32" },
] as const;

type Authorization = {
  from: Address;
  to: Address;
  value: bigint;
  validAfter: bigint;
  validBefore: bigint;
  nonce: Hex;
};

let nonceCounter = 0;
function freshNonce(): Hex {
  nonceCounter += 1;
  return toHex(BigInt(Date.now()) * 1000n + BigInt(nonceCounter), { size: 32 });
}

async function chainNow(): Promise<bigint> {
  return (await publicClient.getBlock()).timestamp;
}

async function authorization(from: Address, overrides: Partial<Authorization> = {}): Promise<Authorization> {
  const now = await chainNow();
  return {
    from,
    to: publisher.address,
    value: 10_000n,
    validAfter: now - 600n,
    validBefore: now + 300n,
    nonce: freshNonce(),
    ...overrides,
  };
}

function signAuthorization(
  signer: PrivateKeyAccount,
  message: Authorization,
  primaryType: "TransferWithAuthorization" | "ReceiveWithAuthorization" = "TransferWithAuthorization",
): Promise<Hex> {
  return signer.signTypedData({
    domain: domain(),
    types: { [primaryType]: authorizationFields } as {
      TransferWithAuthorization: typeof authorizationFields;
    },
    primaryType: primaryType as "TransferWithAuthorization",
    message,
  });
}

function args(a: Authorization) {
  return [a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce] as const;
}

function vrs(signature: Hex) {
  const { v, r, s, yParity } = parseSignature(signature);
  return [Number(v ?? BigInt(yParity + 27)), r, s] as const;
}

async function balance(address: Address): Promise<bigint> {
  return (await publicClient.readContract({
    address: usdc,
    abi,
    functionName: "balanceOf",
    args: [address],
  })) as bigint;
}

async function authorizationState(authorizer: Address, nonce: Hex): Promise<boolean> {
  return (await publicClient.readContract({
    address: usdc,
    abi,
    functionName: "authorizationState",
    args: [authorizer, nonce],
  })) as boolean;
}

/** Sends a transaction and waits for it; returns the receipt. */
async function send(from: PrivateKeyAccount, functionName: string, fnArgs: readonly unknown[]) {
  const hash = await wallet(from).writeContract({ address: usdc, abi, functionName, args: fnArgs });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
  return receipt;
}

/** Runs the call as `from` without mining it; resolves when it would succeed, rejects with the revert. */
function simulate(from: PrivateKeyAccount, functionName: string, fnArgs: readonly unknown[]) {
  return publicClient.simulateContract({ account: from, address: usdc, abi, functionName, args: fnArgs });
}

describe("TestUSDC metadata", () => {
  it("looks like USDC to x402: name, symbol, decimals, version and EIP-712 domain", async () => {
    const read = (functionName: string) => publicClient.readContract({ address: usdc, abi, functionName });
    expect(await read("name")).toBe("USD Coin");
    expect(await read("symbol")).toBe("USDC");
    expect(await read("decimals")).toBe(6);
    expect(await read("version")).toBe("2");
    const [, name, version, chainId, verifyingContract] = (await read("eip712Domain")) as readonly unknown[];
    expect({ name, version, chainId, verifyingContract }).toEqual({
      name: "USD Coin",
      version: "2",
      chainId: BigInt(chain.devnet.chainId),
      verifyingContract: usdc,
    });
  });

  it("uses Circle's typehashes", async () => {
    const read = (functionName: string) => publicClient.readContract({ address: usdc, abi, functionName });
    expect(await read("TRANSFER_WITH_AUTHORIZATION_TYPEHASH")).toBe(
      "0x7c7c6cdb67a18743f49ec6fa9b35f50d52ed05cbed4cc592e13b44501c1a2267",
    );
    expect(await read("RECEIVE_WITH_AUTHORIZATION_TYPEHASH")).toBe(
      "0xd099cc98ef71107a616c4f0f941f04c322d8e254fe26b3c6668db87aae413de8",
    );
    expect(await read("CANCEL_AUTHORIZATION_TYPEHASH")).toBe(
      "0x158b0a9edf7a828aad02f63cd515c68ef2f50ba807396f6d12842833a1597429",
    );
  });

  it("gave every reader 1,000 USDC and the unfunded account none", async () => {
    for (const r of readers) expect(await balance(r.address)).toBe(READER_STARTING_BALANCE);
    expect(await balance(accountByRole(chain.devnet, "unfunded").address as Address)).toBe(0n);
  });
});

describe("transferWithAuthorization", () => {
  it("moves funds with a (v, r, s) signature submitted by a relayer, and marks the nonce used", async () => {
    const payer = reader(0);
    const auth = await authorization(payer.address);
    const signature = await signAuthorization(payer, auth);
    const before = [await balance(payer.address), await balance(publisher.address)] as const;

    const receipt = await send(relayer, "transferWithAuthorization", [...args(auth), ...vrs(signature)]);

    expect(await balance(payer.address)).toBe(before[0] - auth.value);
    expect(await balance(publisher.address)).toBe(before[1] + auth.value);
    expect(await authorizationState(payer.address, auth.nonce)).toBe(true);
    expect(receipt.logs.some((l) => l.topics[2] === auth.nonce)).toBe(true); // AuthorizationUsed(authorizer, nonce)
  });

  it("moves funds with the bytes-signature overload", async () => {
    const payer = reader(1);
    const auth = await authorization(payer.address, { value: 250_000n });
    const signature = await signAuthorization(payer, auth);
    const before = await balance(payer.address);
    await send(relayer, "transferWithAuthorization", [...args(auth), signature]);
    expect(await balance(payer.address)).toBe(before - 250_000n);
    expect(await authorizationState(payer.address, auth.nonce)).toBe(true);
  });

  it("refuses a nonce that was already used", async () => {
    const payer = reader(2);
    const auth = await authorization(payer.address);
    const signature = await signAuthorization(payer, auth);
    await send(relayer, "transferWithAuthorization", [...args(auth), signature]);
    await expect(simulate(relayer, "transferWithAuthorization", [...args(auth), signature])).rejects.toThrow(
      /authorization is used or canceled/,
    );
    await expect(
      simulate(relayer, "transferWithAuthorization", [...args(auth), ...vrs(signature)]),
    ).rejects.toThrow(/authorization is used or canceled/);
  });

  it("refuses an expired authorization (validBefore in the past)", async () => {
    const payer = reader(2);
    const now = await chainNow();
    const auth = await authorization(payer.address, { validAfter: now - 600n, validBefore: now });
    const signature = await signAuthorization(payer, auth);
    await expect(simulate(relayer, "transferWithAuthorization", [...args(auth), signature])).rejects.toThrow(
      /authorization is expired/,
    );
  });

  it("refuses an authorization that is not valid yet (validAfter in the future)", async () => {
    const payer = reader(2);
    const now = await chainNow();
    const auth = await authorization(payer.address, { validAfter: now + 3_600n, validBefore: now + 7_200n });
    const signature = await signAuthorization(payer, auth);
    await expect(
      simulate(relayer, "transferWithAuthorization", [...args(auth), ...vrs(signature)]),
    ).rejects.toThrow(/authorization is not yet valid/);
  });

  it("refuses a signature from someone other than `from`", async () => {
    const auth = await authorization(reader(2).address);
    const signature = await signAuthorization(reader(3), auth);
    await expect(
      simulate(relayer, "transferWithAuthorization", [...args(auth), ...vrs(signature)]),
    ).rejects.toThrow(/invalid signature/);
    await expect(simulate(relayer, "transferWithAuthorization", [...args(auth), signature])).rejects.toThrow(
      /invalid signature/,
    );
  });

  it("refuses a signature over a different amount", async () => {
    const payer = reader(2);
    const auth = await authorization(payer.address, { value: 10_000n });
    const signature = await signAuthorization(payer, auth);
    const inflated = { ...auth, value: 10_000_000n };
    await expect(
      simulate(relayer, "transferWithAuthorization", [...args(inflated), signature]),
    ).rejects.toThrow(/invalid signature/);
    expect(await authorizationState(payer.address, auth.nonce)).toBe(false);
  });

  it("refuses to move more than the payer holds", async () => {
    const payer = reader(2);
    const auth = await authorization(payer.address, { value: READER_STARTING_BALANCE * 2n });
    const signature = await signAuthorization(payer, auth);
    await expect(simulate(relayer, "transferWithAuthorization", [...args(auth), signature])).rejects.toThrow(
      /ERC20InsufficientBalance/,
    );
  });
});

describe("ERC-1271 smart-contract wallet as payer", () => {
  let walletAddress: Address;
  let owner: PrivateKeyAccount;

  beforeAll(async () => {
    owner = reader(4);
    const hash = await wallet(deployer).deployContract({
      abi: testSmartWalletArtifact.abi,
      bytecode: testSmartWalletArtifact.bytecode,
      args: [owner.address],
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (!receipt.contractAddress) throw new Error("smart wallet deployment produced no address");
    walletAddress = receipt.contractAddress;
    await send(deployer, "mint", [walletAddress, 5_000_000n]);
  });

  it("pays with its owner's signature through the bytes overload", async () => {
    const auth = await authorization(walletAddress, { value: 1_000_000n });
    const signature = await signAuthorization(owner, auth);
    await send(relayer, "transferWithAuthorization", [...args(auth), signature]);
    expect(await balance(walletAddress)).toBe(4_000_000n);
    expect(await authorizationState(walletAddress, auth.nonce)).toBe(true);
  });

  it("refuses a signature from anyone but the owner", async () => {
    const auth = await authorization(walletAddress);
    const signature = await signAuthorization(reader(5), auth);
    await expect(simulate(relayer, "transferWithAuthorization", [...args(auth), signature])).rejects.toThrow(
      /invalid signature/,
    );
  });
});

describe("receiveWithAuthorization", () => {
  it("lets the payee collect", async () => {
    const payer = reader(5);
    const auth = await authorization(payer.address, { to: publisher.address });
    const signature = await signAuthorization(payer, auth, "ReceiveWithAuthorization");
    const before = await balance(publisher.address);
    await send(publisher, "receiveWithAuthorization", [...args(auth), ...vrs(signature)]);
    expect(await balance(publisher.address)).toBe(before + auth.value);
    expect(await authorizationState(payer.address, auth.nonce)).toBe(true);
  });

  it("refuses any caller but the payee", async () => {
    const payer = reader(5);
    const auth = await authorization(payer.address, { to: publisher.address });
    const signature = await signAuthorization(payer, auth, "ReceiveWithAuthorization");
    await expect(simulate(relayer, "receiveWithAuthorization", [...args(auth), signature])).rejects.toThrow(
      /caller must be the payee/,
    );
    await expect(
      simulate(relayer, "receiveWithAuthorization", [...args(auth), ...vrs(signature)]),
    ).rejects.toThrow(/caller must be the payee/);
  });

  it("does not accept a TransferWithAuthorization signature", async () => {
    const payer = reader(5);
    const auth = await authorization(payer.address, { to: publisher.address });
    const signature = await signAuthorization(payer, auth, "TransferWithAuthorization");
    await expect(simulate(publisher, "receiveWithAuthorization", [...args(auth), signature])).rejects.toThrow(
      /invalid signature/,
    );
  });
});

describe("cancelAuthorization", () => {
  const cancelTypes = {
    CancelAuthorization: [
      { name: "authorizer", type: "address" },
      { name: "nonce", type: "bytes32" },
    ],
  } as const;

  it("makes a later transfer with that nonce revert (v, r, s overload)", async () => {
    const payer = reader(6);
    const auth = await authorization(payer.address);
    const transferSignature = await signAuthorization(payer, auth);
    const cancelSignature = await payer.signTypedData({
      domain: domain(),
      types: cancelTypes,
      primaryType: "CancelAuthorization",
      message: { authorizer: payer.address, nonce: auth.nonce },
    });

    const receipt = await send(relayer, "cancelAuthorization", [
      payer.address,
      auth.nonce,
      ...vrs(cancelSignature),
    ]);
    expect(receipt.logs.some((l) => l.topics[2] === auth.nonce)).toBe(true); // AuthorizationCanceled
    expect(await authorizationState(payer.address, auth.nonce)).toBe(true);
    await expect(
      simulate(relayer, "transferWithAuthorization", [...args(auth), transferSignature]),
    ).rejects.toThrow(/authorization is used or canceled/);
    // Cancelling twice is refused like reuse.
    await expect(
      simulate(relayer, "cancelAuthorization", [payer.address, auth.nonce, cancelSignature]),
    ).rejects.toThrow(/authorization is used or canceled/);
  });

  it("accepts the bytes overload and refuses a cancellation signed by someone else", async () => {
    const payer = reader(6);
    const nonce = freshNonce();
    const forged = await reader(7).signTypedData({
      domain: domain(),
      types: cancelTypes,
      primaryType: "CancelAuthorization",
      message: { authorizer: payer.address, nonce },
    });
    await expect(simulate(relayer, "cancelAuthorization", [payer.address, nonce, forged])).rejects.toThrow(
      /invalid signature/,
    );
    const genuine = await payer.signTypedData({
      domain: domain(),
      types: cancelTypes,
      primaryType: "CancelAuthorization",
      message: { authorizer: payer.address, nonce },
    });
    await send(relayer, "cancelAuthorization", [payer.address, nonce, genuine]);
    expect(await authorizationState(payer.address, nonce)).toBe(true);
  });
});

describe("permit (EIP-2612)", () => {
  const permitTypes = {
    Permit: [
      { name: "owner", type: "address" },
      { name: "spender", type: "address" },
      { name: "value", type: "uint256" },
      { name: "nonce", type: "uint256" },
      { name: "deadline", type: "uint256" },
    ],
  } as const;

  async function signPermit(owner: PrivateKeyAccount, spender: Address, value: bigint, deadline: bigint) {
    const nonce = (await publicClient.readContract({
      address: usdc,
      abi,
      functionName: "nonces",
      args: [owner.address],
    })) as bigint;
    const signature = await owner.signTypedData({
      domain: domain(),
      types: permitTypes,
      primaryType: "Permit",
      message: { owner: owner.address, spender, value, nonce, deadline },
    });
    return { nonce, signature };
  }

  it("sets an allowance from a signature and bumps the nonce", async () => {
    const owner = reader(7);
    const deadline = (await chainNow()) + 3_600n;
    const { nonce, signature } = await signPermit(owner, relayer.address, 123_456n, deadline);
    await send(relayer, "permit", [owner.address, relayer.address, 123_456n, deadline, ...vrs(signature)]);
    expect(
      await publicClient.readContract({
        address: usdc,
        abi,
        functionName: "allowance",
        args: [owner.address, relayer.address],
      }),
    ).toBe(123_456n);
    expect(
      await publicClient.readContract({ address: usdc, abi, functionName: "nonces", args: [owner.address] }),
    ).toBe(nonce + 1n);
    // The same signature cannot be replayed: the nonce moved on.
    await expect(
      simulate(relayer, "permit", [owner.address, relayer.address, 123_456n, deadline, ...vrs(signature)]),
    ).rejects.toThrow(/invalid signature/);
  });

  it("refuses an expired permit", async () => {
    const owner = reader(7);
    const deadline = (await chainNow()) - 1n;
    const { signature } = await signPermit(owner, relayer.address, 1n, deadline);
    await expect(
      simulate(relayer, "permit", [owner.address, relayer.address, 1n, deadline, signature]),
    ).rejects.toThrow(/permit is expired/);
  });
});

describe("mint", () => {
  it("is owner-only", async () => {
    await expect(simulate(relayer, "mint", [relayer.address, 1n])).rejects.toThrow(
      /OwnableUnauthorizedAccount/,
    );
    const before = await balance(reader(8).address);
    await send(deployer, "mint", [reader(8).address, 5n]);
    expect(await balance(reader(8).address)).toBe(before + 5n);
  });
});
