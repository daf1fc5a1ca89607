// `npm run compile:contracts`: rebuilds contracts/artifacts/<Name>.json from contracts/*.sol.
// The artifacts are committed so the stack starts without a compiler run; the artifacts test
// fails when they drift from the sources, so run this after editing any .sol file.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { artifactsDir, compileContracts, compilerVersion, serializeArtifact } from "./lib/solidity";

function main(): void {
  const started = performance.now();
  const { artifacts, warnings } = compileContracts();
  for (const warning of warnings) console.warn(warning);

  const outDir = artifactsDir();
  mkdirSync(outDir, { recursive: true });
  const written = new Set<string>();
  for (const artifact of artifacts) {
    const file = `${artifact.contractName}.json`;
    writeFileSync(path.join(outDir, file), serializeArtifact(artifact));
    written.add(file);
  }
  // A contract that was renamed or deleted must not leave a stale artifact behind.
  for (const file of readdirSync(outDir)) {
    if (file.endsWith(".json") && !written.has(file)) rmSync(path.join(outDir, file));
  }
  const ms = Math.round(performance.now() - started);
  console.log(
    `compiled ${artifacts.map((a) => a.contractName).join(", ")} with solc ${compilerVersion()} in ${ms} ms → ${path.relative(process.cwd(), outDir)}/`,
  );
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
