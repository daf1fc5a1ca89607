// The layers, checked by `npm run lint`. Imports flow one way:
//   lib/x402 (protocol), lib/content (domain), lib/db (storage)
//     ← lib/payments, lib/studio (use cases)
//     ← lib/http (the request glue)
//     ← app/, proxy.ts
//     ← components/ (UI; client code takes only types and pure helpers from lib/)
// Type-only imports count here (tsPreCompilationDeps), so a cycle made only of `import type` is
// still a cycle. What client code may reach is checked against the runtime graph, where type-only
// imports are erased as they are in the bundle: see .dependency-cruiser-client.mjs.
//
// Test files may compose layers (a route test seeds the database, a parser test renders the
// component), so the layer rules look at shipped code only; cycles are checked everywhere.

// Unanchored, so a hoisted or linked install matches too.
const NEXT = "(^|/)node_modules/next/";
const SHIPPED = { pathNot: "\\.(test|spec)\\.tsx?$" };

/** @type {import("dependency-cruiser").IConfiguration} */
const config = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "No import cycle, type-only edges included.",
      from: {},
      to: { circular: true },
    },
    {
      name: "x402-is-protocol",
      severity: "error",
      comment: "lib/x402 is the protocol: nothing else of lib/ (no db, no env, no domain) and no Next.",
      from: { path: "^lib/x402/", ...SHIPPED },
      to: { path: ["^lib/(?!x402/)", NEXT] },
    },
    {
      name: "content-is-domain",
      severity: "error",
      comment:
        "lib/content is the domain, below the use cases and the request glue: no lib/payments, lib/studio or lib/http, and no Next.",
      from: { path: "^lib/content/", ...SHIPPED },
      to: { path: ["^lib/(payments|studio|http)/", NEXT] },
    },
    {
      name: "lib-below-ui",
      severity: "error",
      comment: "Nothing in lib/ imports the UI (components/) or the pages and routes (app/).",
      from: { path: "^lib/", ...SHIPPED },
      to: { path: "^(components|app)/" },
    },
    {
      name: "db-is-storage",
      severity: "error",
      comment: "lib/db stores; it never calls up into the use cases or the request glue.",
      from: { path: "^lib/db/", ...SHIPPED },
      to: { path: "^lib/(payments|studio|http)/" },
    },
    {
      name: "use-cases-below-glue",
      severity: "error",
      comment:
        "lib/payments and lib/studio are called by the request glue, never the other way round. Allowed: the request-independent helpers the glue shares with them (the error table, the one database-unavailable answer, cookie names and codecs, origins, the rate limiter); the route wrappers stay above.",
      from: { path: "^lib/(payments|studio)/", ...SHIPPED },
      to: {
        path: "^lib/http/",
        pathNot: "^lib/http/(errors|database|cookies|origin|rate-limit(-db)?)\\.ts$",
      },
    },
    {
      name: "ui-below-pages",
      severity: "error",
      comment: "Pages and routes (app/) render components; components never import app/ or proxy.ts.",
      from: { path: "^components/", ...SHIPPED },
      to: { path: ["^app/", "^proxy\\.ts$"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(\\.next|\\.data|contracts/artifacts|test-results|playwright-report)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
    },
  },
};
export default config;
