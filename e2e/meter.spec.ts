// Metered free reads, end to end on the production stack: a new publisher (a wallet of its own, so no
// other spec's articles are ever metered) sets 2 free reads a month in the studio and publishes
// three priced articles; a reader in a fresh browser reads the first two free ("1 of 2 free reads
// left this month"), re-opens one without spending a read, and meets the paywall on the third,
// whose HTML carries no body text; the API stays a 402; the studio's funnel counts the free reads.
import { expect, test } from "./fixtures";
import { freshFundedReader } from "./fixtures/funding";
import { signInToStudio } from "./fixtures/studio";
import { injectTestWallet } from "./fixtures/wallet";

const run = Date.now().toString(36);
const articles = [1, 2, 3].map((n) => ({
  slug: `meter-e2e-${run}-${n}`,
  title: `Metered Dispatch ${n}`,
  secret: `Only a free read or a payment shows metered sentence ${n} of run ${run}.`,
}));

test.describe("metered free reads", () => {
  test("a publisher allows 2 free reads: a reader reads two articles free, the third is the paywall with no body", async ({
    browser,
    devnet,
    baseURL,
  }) => {
    test.setTimeout(180_000);
    const publisherAccount = await freshFundedReader(devnet, 0n);
    const studio = await browser.newContext();
    await injectTestWallet(studio, devnet, publisherAccount);
    const page = await studio.newPage();
    await signInToStudio(page);
    await page.getByLabel("Publisher name").fill(`Meter Press ${run}`);
    await page.getByTestId("profile-save").click();
    await expect(page.getByTestId("studio-publisher-name")).toHaveText(`Meter Press ${run}`);

    await page.goto("/studio/profile");
    await expect(page.getByLabel("Free reads per month")).toHaveValue("0");
    await page.getByLabel("Free reads per month").fill("2");
    await page.getByTestId("profile-save").click();
    await expect(page.getByTestId("studio-success")).toHaveText("Saved.");

    // Three priced articles, written and published through the studio API with the session.
    const origin = { origin: new URL(baseURL!).origin };
    for (const a of articles) {
      const created = await page.request.post("/api/studio/articles", {
        headers: origin,
        data: {
          title: a.title,
          slug: a.slug,
          body: `A teaser anyone may read.\n\n${a.secret}`,
          price: "0.02",
          accessWindow: "forever",
        },
      });
      expect(created.status()).toBe(201);
      const { id } = (await created.json()) as { id: number };
      const published = await page.request.patch(`/api/studio/articles/${id}`, {
        headers: origin,
        data: { published: true },
      });
      expect(published.status()).toBe(200);
    }

    // A reader in a fresh browser, no wallet, no account.
    const readerContext = await browser.newContext();
    const reader = await readerContext.newPage();
    await reader.goto(`/articles/${articles[0]!.slug}`);
    await expect(reader.getByTestId("article-body")).toContainText(articles[0]!.secret);
    await expect(reader.getByTestId("free-reads-left")).toHaveText(
      "Free read: 1 of 2 free reads left this month.",
    );
    await reader.goto(`/articles/${articles[1]!.slug}`);
    await expect(reader.getByTestId("article-body")).toContainText(articles[1]!.secret);
    await expect(reader.getByTestId("free-reads-left")).toHaveText(
      "Free read: 0 of 2 free reads left this month.",
    );
    // Re-opening the first spends nothing.
    await reader.goto(`/articles/${articles[0]!.slug}`);
    await expect(reader.getByTestId("article-body")).toContainText(articles[0]!.secret);
    await expect(reader.getByTestId("free-reads-left")).toHaveText(
      "Free read: 0 of 2 free reads left this month.",
    );

    // The third: the normal paywall, and no body anywhere in what the server sent.
    const third = articles[2]!;
    const response = await reader.goto(`/articles/${third.slug}`);
    await expect(reader.getByTestId("locked-panel")).toBeVisible();
    await expect(reader.getByTestId("free-reads-used")).toHaveText(
      `You have read your 2 free articles from Meter Press ${run} this month.`,
    );
    await expect(reader.getByTestId("article-body")).toHaveCount(0);
    expect(await response!.text()).not.toContain(third.secret);
    expect(await reader.content()).not.toContain(third.secret);
    // Fetched again with the same cookies (HTML, and the API route): still nothing.
    const html = await readerContext.request.get(`/articles/${third.slug}`, {
      headers: { accept: "text/html" },
    });
    expect(await html.text()).not.toContain(third.secret);
    const api = await readerContext.request.get(`/api/articles/${articles[0]!.slug}`);
    expect(api.status()).toBe(402);
    expect(await api.text()).not.toContain(articles[0]!.secret);
    await readerContext.close();

    // The studio's funnel counts the two free reads (counters are written every few seconds).
    await expect(async () => {
      await page.goto("/studio/sales");
      await expect(page.locator('[data-step="Free reads"]')).toHaveText(/^Free reads\s*2\s*read free/, {
        timeout: 2_000,
      });
    }).toPass({ timeout: 60_000 });
    // And the funnel CSV: one free read on each of the first two, none on the third, two in total.
    const csv = (await (await page.request.get("/api/studio/funnel.csv")).text()).trimEnd().split("\r\n");
    expect(csv[0]).toBe("resource,free_reads,shown_402,attempted,settled,receipt_reads");
    const freeReadsOf = (resource: string) => csv.find((l) => l.startsWith(`${resource},`))?.split(",")[1];
    expect(articles.map((a) => freeReadsOf(`article:${a.slug}`))).toEqual(["1", "1", "0"]);
    expect(freeReadsOf("total")).toBe("2");
    await studio.close();
  });
});
