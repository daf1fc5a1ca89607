// The committed artifacts must be exactly what the committed sources compile to; otherwise the
// stack would deploy a token that differs from the Solidity a reviewer reads.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { artifactsDir, compileContracts, serializeArtifact } from "../scripts/lib/solidity";

const FIX = "run `npm run compile:contracts` and commit contracts/artifacts/";

describe("contracts/artifacts", () => {
  const { artifacts } = compileContracts();

  it("has one committed artifact per compiled contract, and no orphans", () => {
    const expected = artifacts.map((a) => `${a.contractName}.json`).sort();
    const committed = existsSync(artifactsDir())
      ? readdirSync(artifactsDir())
          .filter((f) => f.endsWith(".json"))
          .sort()
      : [];
    expect(committed, FIX).toEqual(expected);
  });

  it.each(artifacts.map((a) => [a.contractName, a] as const))("%s matches its source", (name, fresh) => {
    const file = path.join(artifactsDir(), `${name}.json`);
    const committed = JSON.parse(readFileSync(file, "utf8")) as typeof fresh;
    // sourceHash first: it names the cause (a source changed) better than a bytecode diff does.
    expect(committed.sourceHash, `${name}: source changed since the artifact was built; ${FIX}`).toBe(
      fresh.sourceHash,
    );
    expect(committed.abi, `${name}: ABI differs; ${FIX}`).toEqual(fresh.abi);
    expect(committed.bytecode, `${name}: bytecode differs; ${FIX}`).toBe(fresh.bytecode);
    expect(committed.deployedBytecode, `${name}: deployed bytecode differs; ${FIX}`).toBe(
      fresh.deployedBytecode,
    );
    expect(readFileSync(file, "utf8"), `${name}: formatting differs; ${FIX}`).toBe(serializeArtifact(fresh));
  });
});
