// The sales JSON and CSV answers shared by the article, endpoint and whole-publisher routes.
import "server-only";
import { allSales } from "../studio/sales";
import { salesCsv } from "../studio/csv";
import { loadSalesReport, salesReportJson } from "../studio/report";
import { failureResponse, studioRoute } from "./route";
import { salesScope, type ScopeRequest } from "../studio/scope";

export function salesJsonRoute(
  req: Request,
  scope: (() => Promise<ScopeRequest>) | ScopeRequest,
  what: string,
) {
  return studioRoute(req, "publisher", async ({ db, publisher }) => {
    const result = await salesScope(db, publisher, typeof scope === "function" ? await scope() : scope);
    if (result.kind !== "ok") return failureResponse(result, what);
    const report = await loadSalesReport(db, result.value.keys);
    return Response.json(
      { title: result.value.title, ...salesReportJson(report) },
      { headers: { "cache-control": "no-store" } },
    );
  });
}

export function salesCsvRoute(
  req: Request,
  scope: (() => Promise<ScopeRequest>) | ScopeRequest,
  what: string,
) {
  return studioRoute(req, "publisher", async ({ db, publisher }) => {
    const result = await salesScope(db, publisher, typeof scope === "function" ? await scope() : scope);
    if (result.kind !== "ok") return failureResponse(result, what);
    return new Response(salesCsv(await allSales(db, result.value.keys)), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${result.value.filename}"`,
        "cache-control": "no-store",
      },
    });
  });
}
