// An article's share card (PNG, 1200×630), served as its Open Graph and its Twitter image: title,
// author, price and the site, drawn by next/og. From the catalogue cache like the page (no query
// once warm); public fields only, never the body.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { notFound } from "next/navigation";
import { ImageResponse } from "next/og";
import { articleSlugSchema } from "@/lib/content/resource-keys";
import { catalogFor } from "@/lib/content/catalog-cache";
import { formatPrice } from "@/lib/content/money";
import { priceAt, pricedRow } from "@/lib/content/pricing";
import { getDb } from "@/lib/db";

export const SHARE_CARD_ALT = "The article's title, author and price on Kiosk";
export const SHARE_CARD_SIZE = { width: 1200, height: 630 };

// Geist from the installed `geist` package, read once: the build has no network for web fonts.
let fonts: Promise<{ name: string; data: Buffer; weight: 400 | 600 }[]> | null = null;
function geist() {
  const file = (name: string) =>
    readFile(path.join(process.cwd(), "node_modules/geist/dist/fonts/geist-sans", name));
  fonts ??= Promise.all([file("Geist-Regular.ttf"), file("Geist-SemiBold.ttf")]).then(
    ([regular, semibold]) => [
      { name: "Geist", data: regular, weight: 400 },
      { name: "Geist", data: semibold, weight: 600 },
    ],
  );
  return fonts;
}

/** The image route's handler: the card of a published article, else 404. */
export async function shareCardImage({ params }: { params: Promise<{ slug: string }> }) {
  const slug = articleSlugSchema.safeParse((await params).slug);
  const row = slug.success ? await catalogFor(await getDb()).article(slug.data) : null;
  // Unpublished ones stay unadvertised, as the page does for anyone without a receipt.
  if (!row?.published) notFound();
  return new ImageResponse(
    (
      <ShareCard
        title={row.title}
        author={row.publisher.name}
        price={formatPrice(priceAt(pricedRow(row), new Date()))}
      />
    ),
    {
      ...SHARE_CARD_SIZE,
      fonts: await geist(),
      // Titles and prices change in the studio: let caches keep it an hour, not a year.
      headers: { "cache-control": "public, max-age=3600" },
    },
  );
}

/** The card itself: satori lays out flexbox only, so every element with children says display:flex. */
function ShareCard({ title, author, price }: { title: string; author: string; price: string }) {
  return (
    <div
      style={{
        width: "100%",
        height: "100%",
        display: "flex",
        flexDirection: "column",
        justifyContent: "space-between",
        padding: "72px 80px",
        background: "#fafaf9",
        color: "#1c1917",
        fontFamily: "Geist",
      }}
    >
      <div style={{ display: "flex", alignItems: "center", gap: 20, fontSize: 34, fontWeight: 600 }}>
        <div
          style={{
            width: 56,
            height: 56,
            borderRadius: 12,
            background: "#1c1917",
            color: "#fafaf9",
            display: "flex",
            alignItems: "center",
            justifyContent: "center",
          }}
        >
          K
        </div>
        Kiosk
      </div>
      <div
        style={{ display: "flex", fontSize: title.length > 60 ? 60 : 72, fontWeight: 600, lineHeight: 1.1 }}
      >
        {title.length > 120 ? `${title.slice(0, 117)}…` : title}
      </div>
      <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center", fontSize: 32 }}>
        <span style={{ color: "#57534e" }}>{author}</span>
        <span
          style={{
            padding: "8px 24px",
            borderRadius: 999,
            background: price === "Free" ? "#dcfce7" : "#1c1917",
            color: price === "Free" ? "#166534" : "#fafaf9",
            fontWeight: 600,
          }}
        >
          {price === "Free" ? "Free to read" : `${price} in USDC`}
        </span>
      </div>
    </div>
  );
}
