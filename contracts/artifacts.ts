// Typed access to the committed contract artifacts (built by `npm run compile:contracts`).
import type { Abi, Hex } from "viem";
import multicall3 from "./artifacts/Multicall3.json";
import testGasGatedWallet from "./artifacts/TestGasGatedWallet.json";
import testGasGatedWalletFactory from "./artifacts/TestGasGatedWalletFactory.json";
import testSmartWallet from "./artifacts/TestSmartWallet.json";
import testSmartWalletFactory from "./artifacts/TestSmartWalletFactory.json";
import testUsdc from "./artifacts/TestUSDC.json";

export type ContractArtifact = {
  contractName: string;
  abi: Abi;
  bytecode: Hex;
  deployedBytecode: Hex;
  /** sha256 over the compiler version, the settings and every source the contract was built from. */
  sourceHash: string;
};

// JSON imports widen literal types (e.g. "function" to string); the shape is checked by
// contracts/artifacts.test.ts, so the cast only restores what the compiler wrote.
export const testUsdcArtifact = testUsdc as unknown as ContractArtifact;
export const multicall3Artifact = multicall3 as unknown as ContractArtifact;
export const testSmartWalletArtifact = testSmartWallet as unknown as ContractArtifact;
export const testGasGatedWalletArtifact = testGasGatedWallet as unknown as ContractArtifact;
export const testSmartWalletFactoryArtifact = testSmartWalletFactory as unknown as ContractArtifact;
export const testGasGatedWalletFactoryArtifact = testGasGatedWalletFactory as unknown as ContractArtifact;
