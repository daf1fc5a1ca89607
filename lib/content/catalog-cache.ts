// The catalogue as the request path reads it: the row behind each priced resource (article or
// data endpoint, with its publisher), cached per process, so a 402, a free read and a receipt
// read cost no database query once the item has been asked for.
//
// Staleness, and why a version counter rather than a time-to-live:
// - In this process a studio write calls catalogChanged(db), which empties the cache at once.
// - Other instances cannot hear that call. Every write to the catalogue tables moves a counter in
//   Postgres (catalog_version, by trigger, so no writer can forget it), and each cache reads that
//   one row at most every CHECK_EVERY_MS, when a request needs it: a changed number empties the
//   cache. A request is therefore served from rows that were current at most CHECK_EVERY_MS (plus
//   one query's time) before it, so an unpublished item stops selling on every instance within
//   that bound. The check is awaited, not run behind the answer, so the bound is a guarantee.
// - A TTL per entry would give the same bound but re-read every hot item on every instance each
//   period, even when nothing changed (and the studio changes little); the counter costs one
//   primary-key read per instance per period whatever the catalogue's size. The price of the
//   counter is that any change empties every cache: each hot item is read once more.
// - LISTEN/NOTIFY would be instant but needs a held connection, which serverless functions and
//   transaction poolers do not give.
//
// The published catalogue (publishedCatalogue: every published article and data endpoint, as the
// discovery documents list them) is one more entry under the same version and the same bound:
// read page by page once per version, then served from memory, so /.well-known/x402 and the
// documents beside it cost no query per request. It keeps public fields only (CatalogueEntry).
//
// Rows, not offers, are cached: a resource's price and terms are worked out from the row on
// every request (articleResource / dataResource), so a price that depends on the clock never
// needs an invalidation at its boundary.
//
// State lives on globalThis: Next bundles route handlers and pages separately, each with its own
// copy of this module, and the studio's write must empty the cache that the paid routes read.
import type { Db } from "../db/client";
import {
  getArticleBySlug,
  getDataEndpointByPath,
  listDataEndpoints,
  listPublishedArticles,
  readCatalogVersion,
  type ArticleWithPublisher,
  type DataEndpointWithPublisher,
} from "../db/queries";
import { articleEntry, dataEntry, type CatalogueEntry } from "./catalog";

/** The bound on how stale another instance's catalogue can be. */
export const CHECK_EVERY_MS = 5_000;
/** Characters of bodies and datasets kept per cache (V8 stores them one byte each, mostly). */
const MAX_CHARS = 64_000_000;
/** Keys known to name nothing (typos, probes), kept apart so they cannot evict real items. */
const MAX_MISSING = 10_000;

export type CatalogCacheOptions = {
  checkEveryMs?: number;
  maxChars?: number;
  /** Milliseconds since the epoch; the version check's clock (tests move it). */
  clock?: () => number;
};

type Row = ArticleWithPublisher | DataEndpointWithPublisher;

export type CatalogCache = {
  /** The article with this slug, published or not (the caller decides who may see an unpublished one). */
  article(slug: string): Promise<ArticleWithPublisher | null>;
  /** The data endpoint at this path, published or not. */
  dataEndpoint(path: string): Promise<DataEndpointWithPublisher | null>;
  /** Every published article (newest first) and data endpoint (by path); frozen, shared by every caller. */
  published(): Promise<readonly CatalogueEntry[]>;
  /** Drops everything and reads the version again on the next request. */
  forget(): void;
};

export function createCatalogCache(db: Db, options: CatalogCacheOptions = {}): CatalogCache {
  const checkEveryMs = options.checkEveryMs ?? CHECK_EVERY_MS;
  const maxChars = options.maxChars ?? MAX_CHARS;
  const clock = options.clock ?? Date.now;
  const entries = new Map<string, { row: Row; chars: number }>(); // in least-recently-used order
  const missing = new Set<string>();
  const loading = new Map<string, Promise<Row | null>>();
  // The published catalogue read at the current version (or being read); null until asked.
  let listing: Promise<readonly CatalogueEntry[]> | null = null;
  let chars = 0;
  let version: number | null = null;
  let checkedAt = -Infinity;
  let checking: Promise<void> | null = null;
  // Moves on every forget: a load that started before it must not store what it read.
  let generation = 0;

  function forget() {
    entries.clear();
    missing.clear();
    loading.clear();
    listing = null;
    chars = 0;
    checkedAt = -Infinity;
    generation++;
  }

  async function current(): Promise<void> {
    if (clock() - checkedAt < checkEveryMs) return;
    checking ??= (async () => {
      const startedAt = clock();
      try {
        const seen = await readCatalogVersion(db);
        if (version !== null && seen !== version) forget();
        version = seen;
        // From the check's start: rows read before it may predate any change it missed.
        checkedAt = startedAt;
      } finally {
        checking = null;
      }
    })();
    await checking;
  }

  function remember(key: string, row: Row | null) {
    if (!row) {
      if (missing.size >= MAX_MISSING) missing.clear();
      missing.add(key);
      return;
    }
    const size = sizeOf(row);
    if (size > maxChars) return;
    Object.freeze(row.publisher);
    entries.set(key, { row: Object.freeze(row), chars: size });
    chars += size;
    for (const [oldest, entry] of entries) {
      if (chars <= maxChars) break;
      entries.delete(oldest);
      chars -= entry.chars;
    }
  }

  async function get<T extends Row>(key: string, load: () => Promise<T | null>): Promise<T | null> {
    await current();
    const hit = entries.get(key);
    if (hit) {
      entries.delete(key); // most recently used goes last
      entries.set(key, hit);
      return hit.row as T;
    }
    if (missing.has(key)) return null;
    let pending = loading.get(key);
    if (!pending) {
      const startedIn = generation;
      pending = load().then((row) => {
        if (startedIn === generation) {
          remember(key, row);
          loading.delete(key);
        }
        return row;
      });
      // A failed read is not remembered; the next request tries again.
      pending.catch(() => {
        if (loading.get(key) === pending) loading.delete(key);
      });
      loading.set(key, pending);
    }
    return (await pending) as T | null;
  }

  async function published(): Promise<readonly CatalogueEntry[]> {
    await current();
    if (!listing) {
      // A forget() while this read runs sets `listing` to null, so what it read is not kept.
      const pending = loadPublishedCatalogue(db).then(freezeCatalogue);
      pending.catch(() => {
        if (listing === pending) listing = null; // not remembered; the next request tries again
      });
      listing = pending;
    }
    return listing;
  }

  return {
    published,
    article: (slug) => get(`article:${slug}`, () => getArticleBySlug(db, slug, { includeUnpublished: true })),
    dataEndpoint: (path) =>
      get(`data:${path}`, () => getDataEndpointByPath(db, path, { includeUnpublished: true })),
    forget,
  };
}

const PAGE = 100;

/** Every published article (newest first) and data endpoint (by path), read page by page; uncached. */
export async function loadPublishedCatalogue(db: Db): Promise<CatalogueEntry[]> {
  const entries: CatalogueEntry[] = [];
  for (let page = await listPublishedArticles(db, { limit: PAGE }); ; ) {
    entries.push(...page.rows.map(articleEntry));
    if (!page.next) break;
    page = await listPublishedArticles(db, { limit: PAGE, after: page.next });
  }
  for (let page = await listDataEndpoints(db, { limit: PAGE }); ; ) {
    entries.push(...page.rows.map(dataEntry));
    if (!page.next) break;
    page = await listDataEndpoints(db, { limit: PAGE, after: page.next });
  }
  return entries;
}

function freezeCatalogue(entries: CatalogueEntry[]): readonly CatalogueEntry[] {
  for (const entry of entries) {
    Object.freeze(entry.resource);
    Object.freeze(entry);
  }
  return Object.freeze(entries);
}

function sizeOf(row: Row): number {
  // The stored tree is roughly as large again as the Markdown it came from.
  return "body" in row ? row.body.length * 3 + row.teaser.length : row.content.length;
}

const globalForCatalog = globalThis as unknown as {
  kioskCatalog?: { shared: WeakMap<Db, CatalogCache>; all: WeakMap<Db, Set<CatalogCache>> };
};
const registry = (globalForCatalog.kioskCatalog ??= { shared: new WeakMap(), all: new WeakMap() });

/** This process's cache of the catalogue behind `db` (one per database handle). */
export function catalogFor(db: Db): CatalogCache {
  let cache = registry.shared.get(db);
  if (!cache) {
    cache = createCatalogCache(db);
    registry.shared.set(db, cache);
    watch(db, cache);
  }
  return cache;
}

/**
 * The published catalogue behind `db`: every published priced and free article and data endpoint
 * with what the catalogue documents need, from this process's cache. No query while the version
 * is current; a studio write here shows at once, one elsewhere within CHECK_EVERY_MS; rejects
 * (the caller answers 503) when the version cannot be read past that bound.
 */
export function publishedCatalogue(db: Db): Promise<readonly CatalogueEntry[]> {
  return catalogFor(db).published();
}

/** Derived documents kept per catalogue, per key; a full map starts afresh (keys may come from a Host header). */
const MAX_DERIVED = 32;
const derived = new WeakMap<readonly CatalogueEntry[], Map<string, unknown>>();

/**
 * What a document builds from one catalogue (its serialized JSON for an origin, say), built once
 * and kept as long as that catalogue is the current one: a new version is a new array, so nothing
 * outlives the entries it came from. `key` must name everything else the document depends on.
 */
export function fromCatalogue<T>(entries: readonly CatalogueEntry[], key: string, build: () => T): T {
  let docs = derived.get(entries);
  if (!docs) derived.set(entries, (docs = new Map()));
  if (docs.has(key)) return docs.get(key) as T;
  const value = build();
  if (docs.size >= MAX_DERIVED) docs.clear();
  docs.set(key, value);
  return value;
}

/** A cache of its own (tests: a second instance on the same database); still emptied by catalogChanged. */
export function separateCatalogCache(db: Db, options?: CatalogCacheOptions): CatalogCache {
  return watch(db, createCatalogCache(db, options));
}

function watch(db: Db, cache: CatalogCache): CatalogCache {
  const set = registry.all.get(db) ?? new Set();
  set.add(cache);
  registry.all.set(db, set);
  return cache;
}

/**
 * Call after writing to the catalogue through `db`: this process's caches on that handle forget
 * at once. Other instances (and other handles) learn it from the version counter.
 */
export function catalogChanged(db: Db): void {
  for (const cache of registry.all.get(db) ?? []) cache.forget();
}
