// A devnet file's contents for unit tests that need the shape but no running chain: the
// deterministic addresses the real deploy produces, and the well-known anvil relayer key.
import { ANVIL_KEYS, MULTICALL3_ADDRESS } from "./deploy";
import type { Devnet } from "./file";

export function fakeDevnet(overrides: Partial<Devnet> = {}): Devnet {
  return {
    rpcUrl: "http://127.0.0.1:8545",
    chainId: 31337,
    usdc: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    payTo: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    facilitator: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
    multicall: MULTICALL3_ADDRESS,
    walletFactory: "0xB7f8BC63BbcaD18155201308C8f3540b07f84F5e",
    accounts: [
      { role: "relayer", address: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", privateKey: ANVIL_KEYS[2] },
    ],
    ...overrides,
  };
}
