// The layer check (`npm run lint:layers`, part of `npm run lint`) fails on each wrong-way import
// and passes on the same tree without it. Each case builds a small tree shaped like Kiosk's in a
// temporary folder and runs the script exactly as package.json spells it, with the repository's
// two dependency-cruiser configs and its tsconfig (for the "@/" alias).
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const repo = path.resolve(__dirname, "..");
const scripts = JSON.parse(readFileSync(path.join(repo, "package.json"), "utf8")).scripts as Record<
  string,
  string
>;
const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Every import below is allowed; each case adds one that is not. */
const allowed: Record<string, string> = {
  "lib/env.ts":
    'import "server-only";\nexport type Env = { a: 1 };\nexport const env = (): Env => ({ a: 1 });\n',
  "lib/db/client.ts": 'import { money } from "../content/money";\nexport const db = money;\n',
  "lib/x402/codec.ts": 'import { z } from "zod";\nexport const codec = z.string();\n',
  "lib/content/money.ts": 'import { codec } from "../x402/codec";\nexport const money = codec;\n',
  "lib/content/catalog.ts": 'import { db } from "../db/client";\nexport const catalog = db;\n',
  "lib/content/catalog.test.ts":
    'import { articles } from "../studio/articles";\nexport const t = articles;\n',
  "lib/http/errors.ts": "export const errors = 1;\n",
  "lib/http/route.ts": 'import { articles } from "../studio/articles";\nexport const route = articles;\n',
  "lib/studio/articles.ts":
    'import "server-only";\nimport { catalog } from "../content/catalog";\nimport { errors } from "../http/errors";\nexport const articles = [catalog, errors];\n',
  "lib/payments/server.ts":
    'import { NextResponse } from "next/server";\nimport { db } from "../db/client";\nexport const server = [db, NextResponse];\n',
  "components/ui/badge.tsx": "export const Badge = () => null;\n",
  "components/paywall/types.ts": 'import type { Env } from "@/lib/env";\nexport type Props = { env: Env };\n',
  "components/paywall/flow.tsx":
    '"use client";\nimport type { ArticleRow } from "@/lib/studio/articles-types";\nimport type { Props } from "./types";\nimport { money } from "@/lib/content/money";\nexport const Flow = (p: Props & { row?: ArticleRow }) => [p, money];\n',
  "lib/studio/articles-types.ts": 'import "server-only";\nexport type ArticleRow = { id: number };\n',
  "app/page.tsx":
    'import { Badge } from "@/components/ui/badge";\nimport { Flow } from "@/components/paywall/flow";\nexport default function Page() { return [Badge, Flow]; }\n',
  "proxy.ts": 'import { route } from "./lib/http/route";\nexport const proxy = route;\n',
  "scripts/stack.ts": 'import { db } from "../lib/db/client";\nexport const stack = db;\n',
  "e2e/reader.spec.ts": 'import { catalog } from "../lib/content/catalog";\nexport const spec = catalog;\n',
  "contracts/abi.ts": "export const abi = [];\n",
  "test/stub.ts": "export {};\n",
};

async function layerCheck(extra: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), "kiosk-layers-"));
  made.push(dir);
  for (const file of [".dependency-cruiser.mjs", ".dependency-cruiser-client.mjs", "tsconfig.json"]) {
    cpSync(path.join(repo, file), path.join(dir, file));
  }
  symlinkSync(path.join(repo, "node_modules"), path.join(dir, "node_modules"));
  for (const [file, text] of Object.entries({ ...allowed, ...extra })) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  const env = { ...process.env, PATH: `${path.join(repo, "node_modules/.bin")}:${process.env.PATH}` };
  try {
    const { stdout } = await run("sh", ["-c", scripts["lint:layers"]!], { cwd: dir, env });
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

/** "rule: from → to" for each violation the err reporter printed (a cycle's next hop as `to`). */
const violations = (out: string) =>
  [...out.matchAll(/error ([\w-]+): (\S+) →\s+(\S+)/g)].map(
    ([, rule, from, to]) => `${rule}: ${from} → ${to}`,
  );

it("is part of npm run lint", () => {
  expect(scripts.lint).toContain("npm run lint:layers");
});

it("passes a tree whose imports all go the right way, type-only imports of server modules included", async () => {
  const { code, out } = await layerCheck({});
  expect(out).not.toMatch(/error/);
  expect(code).toBe(0);
}, 60_000);

describe("fails on", () => {
  const cases: Array<[string, Record<string, string>, string[]]> = [
    [
      "lib/x402 importing lib/ or Next",
      {
        "lib/x402/codec.ts": 'import { env } from "../env";\nexport const codec = env;\n',
        "lib/x402/types.ts":
          'import type { NextRequest } from "next/server";\nexport type R = NextRequest;\n',
      },
      ["x402-is-protocol: lib/x402/codec.ts → lib/env.ts", "x402-is-protocol: lib/x402/types.ts → "],
    ],
    [
      "lib/content importing the use cases, the glue or Next",
      {
        "lib/content/catalog.ts":
          'import { server } from "../payments/server";\nexport const catalog = server;\n',
        "lib/content/listing.ts": 'import { route } from "../http/route";\nexport const l = route;\n',
        "lib/content/headers.ts": 'import { headers } from "next/headers";\nexport const h = headers;\n',
      },
      [
        "content-is-domain: lib/content/catalog.ts → lib/payments/server.ts",
        "content-is-domain: lib/content/listing.ts → lib/http/route.ts",
        "content-is-domain: lib/content/headers.ts → ",
      ],
    ],
    [
      "lib/ importing components/ or app/",
      {
        "lib/db/client.ts": 'import { Badge } from "@/components/ui/badge";\nexport const db = Badge;\n',
        "lib/studio/viewer.ts": 'import Page from "../../app/page";\nexport const v = Page;\n',
      },
      [
        "lib-below-ui: lib/db/client.ts → components/ui/badge.tsx",
        "lib-below-ui: lib/studio/viewer.ts → app/page.tsx",
      ],
    ],
    [
      "lib/db calling up into the use cases",
      { "lib/db/seed.ts": 'import { articles } from "../studio/articles";\nexport const seed = articles;\n' },
      ["db-is-storage: lib/db/seed.ts → lib/studio/articles.ts"],
    ],
    [
      "a use case importing a route wrapper",
      { "lib/payments/claim.ts": 'import { route } from "../http/route";\nexport const claim = route;\n' },
      ["use-cases-below-glue: lib/payments/claim.ts → lib/http/route.ts"],
    ],
    [
      "a component importing a page",
      { "components/ui/table.tsx": 'import Page from "@/app/page";\nexport const Table = Page;\n' },
      ["ui-below-pages: components/ui/table.tsx → app/page.tsx"],
    ],
    [
      "a cycle made only of type imports",
      {
        "components/paywall/a.ts": 'import type { B } from "./b";\nexport type A = { b?: B };\n',
        "components/paywall/b.ts": 'import type { A } from "./a";\nexport type B = { a?: A };\n',
      },
      ["no-cycles: components/paywall/a.ts → components/paywall/b.ts"],
    ],
    [
      "a client component reaching lib/env through a helper",
      {
        "components/paywall/helper.ts": 'import { env } from "@/lib/env";\nexport const helper = env;\n',
        "components/paywall/flow.tsx":
          '"use client";\nimport { helper } from "./helper";\nexport const Flow = () => helper;\n',
      },
      [
        "client-takes-no-server-code: components/paywall/flow.tsx → lib/env.ts",
        "client-takes-no-server-code: components/paywall/flow.tsx → ",
      ],
    ],
    [
      "a client component importing a value from a server-only module",
      {
        "components/paywall/flow.tsx":
          '// A comment above the directive.\n"use client";\nimport { articles } from "@/lib/studio/articles";\nexport const Flow = () => articles;\n',
      },
      ["client-takes-no-server-code: components/paywall/flow.tsx → "],
    ],
  ];
  for (const [name, extra, expected] of cases) {
    it(
      name,
      async () => {
        const { code, out } = await layerCheck(extra);
        expect(code).not.toBe(0);
        const found = violations(out);
        for (const v of expected) expect(found.some((f) => f.startsWith(v))).toBe(true);
        // Nothing else fires: the rule caught exactly this import.
        const rules = new Set(expected.map((v) => v.split(":")[0]));
        expect(found.filter((f) => !rules.has(f.split(":")[0]!))).toEqual([]);
      },
      60_000,
    );
  }
});
