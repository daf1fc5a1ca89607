// A publisher's priced data endpoints (served by app/api/data/[...path] through the same 402 path
// as articles). Same rules as articles: only the owner changes one; the path is the resource key
// ("data:<path>"), so it is fixed once anyone has paid for it or while it is live; an endpoint
// someone paid for can't be deleted, only unpublished.
import "server-only";
import { and, asc, count, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { catalogChanged } from "../content/catalog-cache";
import { formatPrice, toUsdcDecimal } from "../content/money";
import { dataKey } from "../content/resource-keys";
import type { Db } from "../db/client";
import type { DataEndpoint, Publisher } from "../db/queries";
import { dataEndpoints, payments, resourceStats } from "../db/schema";
import { conflict, forbidden, invalid, isUniqueViolation, notFound, ok, type Result } from "./results";
import {
  checkDataContent,
  DATA_FORMATS,
  DATA_WINDOWS,
  dataFormatOf,
  dataFormatSchema,
  dataPathSchema,
  dataWindowOf,
  dataWindowSchema,
  checkPromotion,
  priceSchema,
  promotionChangeProblem,
  promotionColumns,
  promotionSchema,
  studioPromotionOf,
  type DataFormat,
  type DataWindow,
  type StudioPromotion,
} from "./validation";

const fields = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Enter a name for the endpoint.")
    .max(120, "A name can be at most 120 characters."),
  description: z.string().trim().max(500, "A description can be at most 500 characters."),
  path: dataPathSchema,
  format: dataFormatSchema,
  content: z.string({ required_error: "Paste the dataset's content." }),
  price: priceSchema,
  /** Omitted or null = no promotion. */
  promotion: promotionSchema,
  accessWindow: dataWindowSchema,
  published: z.boolean({ invalid_type_error: "published must be true or false." }),
});

export const endpointCreateSchema = fields
  .extend({
    description: fields.shape.description.default(""),
    published: fields.shape.published.default(false),
    promotion: fields.shape.promotion.optional(),
  })
  .superRefine((e, ctx) => {
    const check = checkDataContent(e.format, e.content);
    if (!check.ok) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["content"], message: check.message });
  });
export type EndpointCreate = z.infer<typeof endpointCreateSchema>;

/** Content and format are checked together in updateEndpoint (one may change without the other). */
export const endpointPatchSchema = fields.partial().strict();
export type EndpointPatch = z.infer<typeof endpointPatchSchema>;

export type StudioEndpoint = {
  id: number;
  path: string;
  apiPath: string;
  name: string;
  description: string;
  format: DataFormat;
  contentType: string;
  content: string;
  price: { atomic: string; dollars: string; display: string };
  /** A promotional price with its start and end, or null. */
  promotion: StudioPromotion;
  accessWindow: DataWindow;
  published: boolean;
  createdAt: string;
};

export function toStudioEndpoint(row: DataEndpoint): StudioEndpoint {
  return {
    id: row.id,
    path: row.path,
    apiPath: `/api/data/${row.path}`,
    name: row.name,
    description: row.description,
    format: dataFormatOf(row.contentType),
    contentType: row.contentType,
    content: row.content,
    price: {
      atomic: row.priceAtomic.toString(),
      dollars: toUsdcDecimal(row.priceAtomic),
      display: formatPrice(row.priceAtomic),
    },
    promotion: studioPromotionOf(row),
    accessWindow: dataWindowOf(row.accessWindowSeconds),
    published: row.published,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listEndpoints(db: Db, publisher: Publisher): Promise<DataEndpoint[]> {
  return db
    .select()
    .from(dataEndpoints)
    .where(eq(dataEndpoints.publisherId, publisher.id))
    .orderBy(asc(dataEndpoints.path));
}

export async function ownEndpoint(db: Db, publisher: Publisher, id: number): Promise<Result<DataEndpoint>> {
  const [row] = await db.select().from(dataEndpoints).where(eq(dataEndpoints.id, id)).limit(1);
  if (!row) return notFound;
  if (row.publisherId !== publisher.id) return forbidden;
  return ok(row);
}

/**
 * True while nobody has paid for the row's current path. Used inside the UPDATE or DELETE that
 * changes the row, so the check and the change are one statement: a payment reserved between a
 * separate check and the write would leave a receipt for a path that later opens someone else's
 * endpoint.
 */
const unpaid = () =>
  sql`not exists (select 1 from ${payments} where ${payments.resource} = ${dataKey("")}::text || ${dataEndpoints.path})`;

async function hasPayments(db: Db, path: string): Promise<boolean> {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(payments)
    .where(eq(payments.resource, dataKey(path)))
    .limit(1);
  return row !== undefined;
}

const pathTaken = (path: string) => conflict(`The path /api/data/${path} is taken; choose another.`);
const paidPathFixed = () =>
  conflict("The path can't change after someone paid for it: receipts and sales are filed under it.");
const paidNotDeletable = () =>
  conflict(
    "Someone paid for this endpoint, so it can't be deleted (their receipts name it); unpublish it instead.",
  );

/** As for articles (MAX_ARTICLES_PER_PUBLISHER); each dataset is also at most MAX_DATA_CHARS. */
export const MAX_ENDPOINTS_PER_PUBLISHER = 100;

export async function createEndpoint(
  db: Db,
  publisher: Publisher,
  input: EndpointCreate,
  now = new Date(),
): Promise<Result<DataEndpoint>> {
  const [owned] = await db
    .select({ n: count() })
    .from(dataEndpoints)
    .where(eq(dataEndpoints.publisherId, publisher.id));
  if ((owned?.n ?? 0) >= MAX_ENDPOINTS_PER_PUBLISHER) {
    return conflict(
      `A publisher can have at most ${MAX_ENDPOINTS_PER_PUBLISHER} data endpoints; delete ones you no longer need to add another.`,
    );
  }
  const promotionProblem = input.promotion ? checkPromotion(input.promotion, input.price, now) : null;
  if (promotionProblem) return invalid(promotionProblem);
  const [row] = await db
    .insert(dataEndpoints)
    .values({
      publisherId: publisher.id,
      path: input.path,
      name: input.name,
      description: input.description,
      contentType: DATA_FORMATS[input.format],
      content: input.content,
      priceAtomic: input.price,
      ...promotionColumns(input.promotion ?? null),
      accessWindowSeconds: DATA_WINDOWS[input.accessWindow],
      published: input.published,
    })
    .onConflictDoNothing({ target: dataEndpoints.path })
    .returning();
  if (!row) return pathTaken(input.path);
  catalogChanged(db);
  return ok(row);
}

export async function updateEndpoint(
  db: Db,
  publisher: Publisher,
  id: number,
  patch: EndpointPatch,
  now = new Date(),
): Promise<Result<DataEndpoint>> {
  const owned = await ownEndpoint(db, publisher, id);
  if (owned.kind !== "ok") return owned;
  const current = owned.value;
  const format = patch.format ?? dataFormatOf(current.contentType);
  const content = patch.content ?? current.content;
  if (patch.format !== undefined || patch.content !== undefined) {
    const check = checkDataContent(format, content);
    if (!check.ok) return invalid(check.message);
  }
  if (patch.path !== undefined && patch.path !== current.path) {
    if (current.published || (patch.published ?? false)) {
      return conflict(
        "Unpublish the endpoint before changing its path: clients use it, and sales are filed under it.",
      );
    }
    if (await hasPayments(db, current.path)) return paidPathFixed();
  }
  const moving = patch.path !== undefined && patch.path !== current.path;
  const promotionProblem = promotionChangeProblem(patch, current, now);
  if (promotionProblem) return invalid(promotionProblem);
  try {
    const [row] = await db
      .update(dataEndpoints)
      .set({
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.description !== undefined && { description: patch.description }),
        ...(patch.path !== undefined && { path: patch.path }),
        ...(patch.price !== undefined && { priceAtomic: patch.price }),
        ...(patch.promotion !== undefined && promotionColumns(patch.promotion)),
        ...(patch.accessWindow !== undefined && { accessWindowSeconds: DATA_WINDOWS[patch.accessWindow] }),
        ...(patch.published !== undefined && { published: patch.published }),
        contentType: DATA_FORMATS[format],
        content,
      })
      .where(
        and(
          eq(dataEndpoints.id, id),
          eq(dataEndpoints.publisherId, publisher.id),
          // A move is re-checked in the statement itself (still the same path, still a draft, still
          // unpaid): the checks above only give the precise message.
          ...(moving
            ? [eq(dataEndpoints.path, current.path), eq(dataEndpoints.published, false), unpaid()]
            : []),
        ),
      )
      .returning();
    if (!row) {
      if (moving && (await hasPayments(db, current.path))) return paidPathFixed();
      return moving
        ? conflict("The endpoint changed while it was being saved; reload and try again.")
        : notFound;
    }
    if (row.path !== current.path) {
      // Unpaid by now (checked above); its old 402 counts must not pass to the path's next owner.
      await db.delete(resourceStats).where(eq(resourceStats.resource, dataKey(current.path)));
    }
    catalogChanged(db); // this instance's 402s and reads see the change at once
    return ok(row);
  } catch (error) {
    if (isUniqueViolation(error)) return pathTaken(patch.path ?? current.path);
    throw error;
  }
}

export async function deleteEndpoint(
  db: Db,
  publisher: Publisher,
  id: number,
): Promise<Result<{ id: number }>> {
  const owned = await ownEndpoint(db, publisher, id);
  if (owned.kind !== "ok") return owned;
  const deleted = await db.transaction(async (tx) => {
    // "Nobody paid" and the delete in one statement (see unpaid()).
    const [row] = await tx
      .delete(dataEndpoints)
      .where(and(eq(dataEndpoints.id, id), eq(dataEndpoints.publisherId, publisher.id), unpaid()))
      .returning({ path: dataEndpoints.path });
    // Its funnel counters too, or whoever claims the path next would inherit its 402 count.
    if (row) await tx.delete(resourceStats).where(eq(resourceStats.resource, dataKey(row.path)));
    return row ?? null;
  });
  if (!deleted) return (await hasPayments(db, owned.value.path)) ? paidNotDeletable() : notFound;
  catalogChanged(db);
  return ok({ id });
}
