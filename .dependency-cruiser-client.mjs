// Client code ("use client" files and everything they import at run time) takes only types and
// pure helpers from lib/: never the database, the env reader, or a module marked server-only.
// Checked on the runtime graph (tsPreCompilationDeps: false), where `import type` is erased as it
// is in the browser bundle, so a client component may still name a server module's types.
import fs from "node:fs";
import path from "node:path";
import layers from "./.dependency-cruiser.mjs";

const ROOTS = ["app", "components", "lib"];

function sourceFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.tsx?$/.test(entry.name) && !/\.(test|spec)\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

// A "use client" directive is the file's first statement, after comments at most.
function isClientEntry(file) {
  const text = fs.readFileSync(file, "utf8").replace(/^(\s*(\/\/[^\n]*\n|\/\*[\s\S]*?\*\/))*\s*/, "");
  return /^["']use client["']/.test(text);
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const entries = ROOTS.flatMap((root) => sourceFiles(root))
  .filter(isClientEntry)
  .map((file) => file.split(path.sep).join("/"));

/** @type {import("dependency-cruiser").IConfiguration} */
const config = {
  forbidden: [
    {
      name: "client-takes-no-server-code",
      severity: "error",
      comment:
        "A client component reaches lib/db, lib/env or a server-only module at run time; import its types with `import type`, or move the pure part out.",
      from: { path: entries.length > 0 ? entries.map((f) => `^${escape(f)}$`) : "^$.^" },
      to: { path: ["^lib/db/", "^lib/env\\.ts$", "(^|/)node_modules/server-only/"], reachable: true },
    },
  ],
  // The same resolution as the layer check; only type-only imports are left out.
  options: { ...layers.options, tsPreCompilationDeps: false },
};
export default config;
