// The sales JSON and CSV answers shared by the article, endpoint and whole-publisher routes: the
// scope is checked against the signed-in publisher (404 / 403), then answered in either form.
import "server-only";
import type { Db } from "../db/client";
import { salesCsv } from "../studio/csv";
import { loadSalesReport, salesReportJson } from "../studio/report";
import { allSales } from "../studio/sales";
import { salesScope, type SalesScope, type ScopeRequest } from "../studio/scope";
import { failureResponse, studioRoute } from "./route";

type Scope = (() => Promise<ScopeRequest>) | ScopeRequest;

function salesRoute(
  req: Request,
  scope: Scope,
  what: string,
  respond: (db: Db, s: SalesScope) => Promise<Response>,
) {
  return studioRoute(req, "publisher", async ({ db, publisher }) => {
    const result = await salesScope(db, publisher, typeof scope === "function" ? await scope() : scope);
    return result.kind === "ok" ? respond(db, result.value) : failureResponse(result, what);
  });
}

export function salesJsonRoute(req: Request, scope: Scope, what: string) {
  return salesRoute(req, scope, what, async (db, s) =>
    Response.json(
      { title: s.title, ...salesReportJson(await loadSalesReport(db, s.keys)) },
      { headers: { "cache-control": "no-store" } },
    ),
  );
}

export function salesCsvRoute(req: Request, scope: Scope, what: string) {
  return salesRoute(
    req,
    scope,
    what,
    async (db, s) =>
      new Response(salesCsv(await allSales(db, s.keys)), {
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="${s.filename}"`,
          "cache-control": "no-store",
        },
      }),
  );
}
