// Compiles contracts/*.sol with solcjs (standard JSON) into Kiosk's artifact format. Shared by
// `npm run compile:contracts` and contracts/artifacts.test.ts, which recompiles to catch a
// committed artifact that no longer matches its source.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import solc from "solc";
import type { Abi } from "viem";
import type { ContractArtifact } from "../../contracts/artifacts";

export type { ContractArtifact };

// cancun: the newest fork both solc 0.8.37 and anvil 1.7's default (later) hardfork agree on,
// and what OpenZeppelin 5.7 is tested against. Changing a setting changes every sourceHash.
const SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: "cancun",
} as const;

type SolcOutput = {
  errors?: { severity: "error" | "warning" | "info"; formattedMessage: string }[];
  contracts?: Record<
    string,
    Record<
      string,
      {
        abi: Abi;
        metadata: string;
        evm: { bytecode: { object: string }; deployedBytecode: { object: string } };
      }
    >
  >;
};

export function contractsDir(root = process.cwd()): string {
  return path.join(root, "contracts");
}

export function artifactsDir(root = process.cwd()): string {
  return path.join(contractsDir(root), "artifacts");
}

export function compilerVersion(): string {
  return solc.version() as string;
}

export type CompileResult = { artifacts: ContractArtifact[]; warnings: string[] };

export function compileContracts(root = process.cwd()): CompileResult {
  const dir = contractsDir(root);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".sol"))
    .sort();
  if (files.length === 0) throw new Error(`no .sol files in ${dir}`);

  // Source unit names are repo-relative, so the metadata (and the bytecode's metadata hash)
  // is the same on every machine.
  const sources: Record<string, { content: string }> = {};
  for (const file of files) {
    sources[`contracts/${file}`] = { content: readFileSync(path.join(dir, file), "utf8") };
  }
  const outputSelection: Record<string, Record<string, string[]>> = {};
  for (const name of Object.keys(sources)) {
    outputSelection[name] = {
      "*": ["abi", "metadata", "evm.bytecode.object", "evm.deployedBytecode.object"],
    };
  }
  const input = { language: "Solidity", sources, settings: { ...SETTINGS, outputSelection } };

  // Every file solc pulls in through the callback, kept so the hash covers dependencies too
  // (an OpenZeppelin upgrade must mark the artifacts stale as well).
  const loaded = new Map<string, string>(Object.entries(sources).map(([k, v]) => [k, v.content]));
  const findImports = (importPath: string): { contents: string } | { error: string } => {
    if (!importPath.startsWith("@openzeppelin/")) return { error: `unsupported import ${importPath}` };
    const file = path.join(root, "node_modules", importPath);
    if (!existsSync(file)) return { error: `${importPath} not found in node_modules (run npm install)` };
    const contents = readFileSync(file, "utf8");
    loaded.set(importPath, contents);
    return { contents };
  };

  const output = JSON.parse(
    solc.compile(JSON.stringify(input), { import: findImports }) as string,
  ) as SolcOutput;
  const problems = output.errors ?? [];
  const errors = problems.filter((e) => e.severity === "error");
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join("\n"));
  const warnings = problems.filter((e) => e.severity === "warning").map((e) => e.formattedMessage);

  const version = compilerVersion();
  const artifacts: ContractArtifact[] = [];
  for (const [unit, contracts] of Object.entries(output.contracts ?? {})) {
    if (!unit.startsWith("contracts/")) continue;
    for (const [contractName, c] of Object.entries(contracts)) {
      if (!c.evm.bytecode.object) continue; // interfaces and abstract contracts
      const metadata = JSON.parse(c.metadata) as { sources: Record<string, unknown> };
      const deps = Object.keys(metadata.sources).sort();
      const hash = createHash("sha256");
      hash.update(`solc ${version}\n${JSON.stringify(SETTINGS)}\n`);
      for (const dep of deps) {
        const content = loaded.get(dep);
        if (content === undefined) throw new Error(`solc used ${dep} but it was never loaded`);
        hash.update(`${dep}\n${content.length}\n${content}\n`);
      }
      artifacts.push({
        contractName,
        abi: c.abi,
        bytecode: `0x${c.evm.bytecode.object}`,
        deployedBytecode: `0x${c.evm.deployedBytecode.object}`,
        sourceHash: `0x${hash.digest("hex")}`,
      });
    }
  }
  artifacts.sort((a, b) => a.contractName.localeCompare(b.contractName));
  return { artifacts, warnings };
}

export function serializeArtifact(artifact: ContractArtifact): string {
  return JSON.stringify(artifact, null, 2) + "\n";
}
