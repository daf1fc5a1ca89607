// An EIP-1193 wallet backed by a viem local account: signs typed data and messages locally, signs
// transactions locally and sends them raw, and forwards every read to the chain's RPC.
//
// Two users, one behaviour: the "Dev wallet" option on the local chain (in the browser) and the
// injected test wallet of the e2e suite (in Node, behind page.exposeFunction). It copies what the
// common browser wallets do where the app depends on it:
// - `eth_accounts` is [] until the site asked for accounts (EIP-1102); wagmi's reconnect would
//   otherwise connect on page load (wagmi's reconnect takes the account, and the Connect
//   button vanishes under the click);
// - typed data whose domain names another chain than the active one is refused, as MetaMask does;
// - prompts (connect, sign, send) can be refused with 4001 (EIP-1193 "User Rejected Request").
// No DOM, no Node APIs: viem only.
import {
  createWalletClient,
  hexToBigInt,
  http,
  isAddressEqual,
  isHex,
  numberToHex,
  type Chain,
  type Hex,
  type LocalAccount,
  type TypedDataDefinition,
} from "viem";

/** EIP-1193 / EIP-1474 error codes this wallet answers with. */
export const WalletErrorCode = {
  userRejected: 4001,
  unauthorized: 4100,
  unsupportedMethod: 4200,
  unrecognizedChain: 4902,
  invalidParams: -32602,
  internal: -32603,
} as const;

export class WalletRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = "WalletRpcError";
  }
}

export type PromptKind = "connect" | "signature" | "transaction" | "switch-chain";

export type LocalWalletEvent = "accountsChanged" | "chainChanged" | "connect" | "disconnect";
type Listener = (payload: unknown) => void;

export type LocalWalletOptions = {
  account: LocalAccount;
  /** The chains the wallet knows, each with an RPC URL; the first is active at start. */
  chains: readonly [Chain, ...Chain[]];
  /**
   * Asked where a real wallet shows a prompt. Return false to refuse with 4001. Default: approve.
   */
  approve?: (prompt: { kind: PromptKind; method: string }) => boolean | Promise<boolean>;
  /** Where the "this site may see my address" grant lives. Default: memory. */
  permission?: { get(): boolean; set(granted: boolean): void };
};

export type RequestArguments = { method: string; params?: unknown };

export type LocalWallet = {
  request(args: RequestArguments): Promise<unknown>;
  on(event: LocalWalletEvent, listener: Listener): LocalWallet;
  removeListener(event: LocalWalletEvent, listener: Listener): LocalWallet;
  readonly address: `0x${string}`;
  readonly chainId: number;
  /** Swap the account, as a user picking another account in the wallet does. */
  setAccount(account: LocalAccount): void;
};

export function createLocalWallet(options: LocalWalletOptions): LocalWallet {
  let account = options.account;
  const chains = new Map<number, Chain>(options.chains.map((c) => [c.id, c]));
  let chain: Chain = options.chains[0];
  let memoryGrant = false;
  const permission = options.permission ?? {
    get: () => memoryGrant,
    set: (granted: boolean) => {
      memoryGrant = granted;
    },
  };
  const listeners = new Map<LocalWalletEvent, Set<Listener>>();

  const emit = (event: LocalWalletEvent, payload: unknown) => {
    for (const listener of [...(listeners.get(event) ?? [])]) {
      try {
        listener(payload);
      } catch (err) {
        // A throwing listener must not break the wallet or the other listeners.
        console.error(`local wallet: ${event} listener threw`, err);
      }
    }
  };

  const approve = async (kind: PromptKind, method: string) => {
    const ok = options.approve ? await options.approve({ kind, method }) : true;
    if (!ok) throw new WalletRpcError(WalletErrorCode.userRejected, "User rejected the request.");
  };

  const requireAuthorized = (address?: unknown) => {
    if (!permission.get()) {
      throw new WalletRpcError(
        WalletErrorCode.unauthorized,
        "The site has not been authorized; call eth_requestAccounts first.",
      );
    }
    if (
      address !== undefined &&
      (typeof address !== "string" || !isHex(address) || !isAddressEqual(address, account.address))
    ) {
      throw new WalletRpcError(WalletErrorCode.unauthorized, `This wallet does not hold ${String(address)}.`);
    }
  };

  const rpc = (c: Chain) => {
    const url = c.rpcUrls.default.http[0];
    if (!url) throw new WalletRpcError(WalletErrorCode.internal, `No RPC URL for chain ${c.id}.`);
    return url;
  };

  const forward = async (method: string, params: unknown): Promise<unknown> => {
    const transport = http(rpc(chain), { retryCount: 0 })({ chain });
    try {
      return await transport.request({ method, params } as never);
    } catch (err) {
      const e = err as { code?: unknown; data?: unknown; shortMessage?: string; message?: string };
      const code = typeof e.code === "number" ? e.code : WalletErrorCode.internal;
      throw new WalletRpcError(code, e.shortMessage ?? e.message ?? String(err), e.data);
    }
  };

  const grant = async (method: string): Promise<`0x${string}`[]> => {
    if (!permission.get()) {
      await approve("connect", method);
      permission.set(true);
      emit("accountsChanged", [account.address]);
    }
    return [account.address];
  };

  const permissions = () => [
    {
      parentCapability: "eth_accounts",
      date: Date.now(),
      caveats: [{ type: "restrictReturnedAccounts", value: [account.address] }],
    },
  ];

  const switchTo = async (chainIdHex: unknown, method: string) => {
    if (typeof chainIdHex !== "string" || !isHex(chainIdHex)) {
      throw new WalletRpcError(WalletErrorCode.invalidParams, "chainId must be a hex string.");
    }
    const next = chains.get(Number(hexToBigInt(chainIdHex)));
    if (!next)
      throw new WalletRpcError(WalletErrorCode.unrecognizedChain, `Unrecognized chain ID "${chainIdHex}".`);
    if (next.id === chain.id) return null;
    await approve("switch-chain", method);
    chain = next;
    emit("chainChanged", numberToHex(next.id));
    return null;
  };

  const wallet: LocalWallet = {
    get address() {
      return account.address;
    },
    get chainId() {
      return chain.id;
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return wallet;
    },
    removeListener(event, listener) {
      listeners.get(event)?.delete(listener);
      return wallet;
    },
    setAccount(next) {
      if (isAddressEqual(next.address, account.address)) return;
      account = next;
      if (permission.get()) emit("accountsChanged", [account.address]);
    },
    async request({ method, params }) {
      const args = Array.isArray(params) ? (params as unknown[]) : [];
      switch (method) {
        case "eth_accounts":
          return permission.get() ? [account.address] : [];
        case "eth_requestAccounts":
          return grant(method);
        case "wallet_requestPermissions":
          await grant(method);
          return permissions();
        case "wallet_getPermissions":
          return permission.get() ? permissions() : [];
        case "wallet_revokePermissions":
          if (permission.get()) {
            permission.set(false);
            emit("accountsChanged", []);
          }
          return null;
        case "eth_chainId":
          return numberToHex(chain.id);
        case "net_version":
          return String(chain.id);
        case "wallet_switchEthereumChain":
          return switchTo((args[0] as { chainId?: unknown } | undefined)?.chainId, method);
        case "wallet_addEthereumChain": {
          const p = args[0] as
            | { chainId?: unknown; chainName?: unknown; rpcUrls?: unknown; nativeCurrency?: unknown }
            | undefined;
          const rpcUrl = Array.isArray(p?.rpcUrls)
            ? p.rpcUrls.find((u): u is string => typeof u === "string")
            : undefined;
          if (typeof p?.chainId !== "string" || !isHex(p.chainId) || !rpcUrl) {
            throw new WalletRpcError(
              WalletErrorCode.invalidParams,
              "wallet_addEthereumChain needs chainId and rpcUrls.",
            );
          }
          const id = Number(hexToBigInt(p.chainId));
          if (!chains.has(id)) {
            await approve("switch-chain", method);
            chains.set(id, {
              id,
              name: typeof p.chainName === "string" ? p.chainName : `Chain ${id}`,
              nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
              rpcUrls: { default: { http: [rpcUrl] } },
            });
          }
          // Wallets switch to a chain right after adding it; wagmi checks eth_chainId afterwards.
          return switchTo(p.chainId, method);
        }
        case "eth_signTypedData_v4": {
          requireAuthorized(args[0]);
          const raw = typeof args[1] === "string" ? (JSON.parse(args[1]) as unknown) : args[1];
          const typed = raw as TypedDataDefinition & { domain?: { chainId?: unknown } };
          if (!typed || typeof typed !== "object" || !typed.types || !typed.primaryType) {
            throw new WalletRpcError(WalletErrorCode.invalidParams, "eth_signTypedData_v4 needs typed data.");
          }
          const domainChain = typed.domain?.chainId;
          if (domainChain !== undefined && domainChain !== null && Number(domainChain) !== chain.id) {
            throw new WalletRpcError(
              WalletErrorCode.invalidParams,
              `Provided chainId "${String(domainChain)}" must match the active chainId "${chain.id}"`,
            );
          }
          await approve("signature", method);
          // An `EIP712Domain` entry in `types` is kept: viem then hashes the domain with the
          // site's own type, as MetaMask does, instead of deriving one from the domain's fields.
          return account.signTypedData(typed);
        }
        case "personal_sign": {
          requireAuthorized(args[1]);
          const message = args[0];
          if (typeof message !== "string")
            throw new WalletRpcError(WalletErrorCode.invalidParams, "personal_sign needs a message.");
          await approve("signature", method);
          return account.signMessage({ message: isHex(message) ? { raw: message } : message });
        }
        case "eth_sendTransaction": {
          const tx = args[0] as Record<string, unknown> | undefined;
          requireAuthorized(tx?.from);
          if (!tx)
            throw new WalletRpcError(
              WalletErrorCode.invalidParams,
              "eth_sendTransaction needs a transaction.",
            );
          await approve("transaction", method);
          const client = createWalletClient({
            account,
            chain,
            transport: http(rpc(chain), { retryCount: 0 }),
          });
          try {
            return await client.sendTransaction({
              to: (tx.to as Hex | undefined) ?? null,
              data: tx.data as Hex | undefined,
              value: bigintOf(tx.value),
              gas: bigintOf(tx.gas),
              ...(tx.maxFeePerGas !== undefined
                ? {
                    maxFeePerGas: bigintOf(tx.maxFeePerGas),
                    maxPriorityFeePerGas: bigintOf(tx.maxPriorityFeePerGas),
                  }
                : tx.gasPrice !== undefined
                  ? { gasPrice: bigintOf(tx.gasPrice) }
                  : {}),
            } as Parameters<typeof client.sendTransaction>[0]);
          } catch (err) {
            const e = err as { shortMessage?: string; message?: string };
            throw new WalletRpcError(WalletErrorCode.internal, e.shortMessage ?? e.message ?? String(err));
          }
        }
        case "eth_sign":
        case "eth_signTransaction":
        case "eth_signTypedData":
        case "eth_signTypedData_v3":
          throw new WalletRpcError(WalletErrorCode.unsupportedMethod, `${method} is not supported.`);
        default:
          if (method.startsWith("wallet_")) {
            throw new WalletRpcError(WalletErrorCode.unsupportedMethod, `${method} is not supported.`);
          }
          return forward(method, params);
      }
    },
  };
  return wallet;
}

function bigintOf(value: unknown): bigint | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string" && isHex(value)) return hexToBigInt(value);
  if (typeof value === "string" || typeof value === "number" || typeof value === "bigint")
    return BigInt(value);
  throw new WalletRpcError(WalletErrorCode.invalidParams, `not a quantity: ${String(value)}`);
}
