// What a fresh Kiosk sells: one publisher, seven articles (one free) and three data endpoints
// (one free). Data only; seed.ts beside it inserts it. Tests and e2e specs import these to know what
// to expect, and each article's `secretSentence` appears in its body but never in its teaser, so
// a test can grep a page for it to tell a locked article from an unlocked one.
//
// Keep secret sentences free of Markdown and of characters HTML escapes (' " & < >), so the exact
// text shows up in the rendered page as well as in the JSON.

import { ACCESS_WINDOWS } from "../content/money";

export type SeedArticle = {
  slug: string;
  title: string;
  teaser: string;
  /** Markdown. */
  body: string;
  priceAtomic: bigint;
  /** null = forever. */
  accessWindowSeconds: number | null;
  publishedAt: Date;
  /** A sentence that appears in the body only. */
  secretSentence: string;
};

export type SeedDataEndpoint = {
  path: string;
  name: string;
  description: string;
  contentType: string;
  content: string;
  priceAtomic: bigint;
  /** null = each request is paid for. */
  accessWindowSeconds: number | null;
};

export const seedPublisher = { name: "The Ledger Review" } as const;

const longWaitSecret =
  "A status code is a promise that both sides know how to keep, and for decades only one side did.";
const pennySecret =
  "The cheapest payment is the one you only have to think about once, and the dearest is the one that follows you home.";
const tidesSecret = "A tide table is a forecast that was finished before the weather had any say in it.";
const clocksSecret =
  "Two events that cannot have influenced each other have no true order, and a system that pretends otherwise is only guessing politely.";
const marginSecret =
  "A margin is the only place in a book where the reader is allowed to have the last word.";
const dollarSecret =
  "The person who pays and the person who pays for the gas no longer have to be the same person, and that small separation is what makes a nickel worth sending.";
const welcomeSecret =
  "Your wallet address is the only thing we learn about you, and only when you decide to pay.";

export const seedArticles: readonly SeedArticle[] = [
  {
    slug: "how-kiosk-works",
    title: "How Kiosk Works",
    teaser:
      "No subscription, no account, no card form. Every article on Kiosk has a price of a few cents in USDC and says exactly how long your access lasts. This one is free, and explains the rest.",
    priceAtomic: 0n,
    accessWindowSeconds: null,
    publishedAt: new Date("2025-06-12T09:00:00Z"),
    secretSentence: welcomeSecret,
    body: `Kiosk sells writing one piece at a time. Each article shows its price before you open it, usually a few cents, and what that price buys: access for a day, a week, a month, or for good. There is nothing to sign up for. If you never pay for anything, you never give us anything, not even an email address.

## Paying for an article

Open any priced article and you will see the teaser, the price, and an **Unlock** button. Unlocking asks your wallet to sign a payment in USDC, a digital dollar, for exactly the amount shown, payable straight to the publisher. Nothing moves until the article is ready to be delivered, and if delivery fails you are not charged. Once the payment settles, your browser keeps a receipt, so you can come back to the article for as long as its access window lasts.

${welcomeSecret} We do not set cookies to follow you around, and there is no profile to delete because there was never a profile.

## For programs and agents

Everything a person can read here, a program can buy. The catalog is free to fetch as JSON from \`/api/articles\` and \`/api/data\`. Each priced resource answers an unpaid request with HTTP status *402 Payment Required* and a machine-readable price, following the open [x402 protocol](https://www.x402.org/). A client that speaks x402 signs the payment, retries the request, and receives the content together with a settlement receipt in the response headers.

## For writers

Publishers set a price and an access window for each piece and are paid directly to their own address, with no platform balance in between. Prices can be as small as one cent, and the site pays the network fee. The hope is simple:

> that a reader who would never subscribe might still pay a few cents for the one article a friend sent them, and that the writer gets every one of those cents.
`,
  },
  {
    slug: "the-long-wait-for-402",
    title: "The Long Wait for 402",
    teaser:
      "Tucked between 401 Unauthorized and 403 Forbidden, one status code spent a quarter of a century marked as reserved for future use. Why the web never learned to charge a few cents, and what changed when it finally could.",
    priceAtomic: 50_000n,
    accessWindowSeconds: ACCESS_WINDOWS.month,
    publishedAt: new Date("2025-06-09T08:00:00Z"),
    secretSentence: longWaitSecret,
    body: `When the authors of HTTP/1.1 wrote down the list of status codes in 1997, they left a small, hopeful gap. Code 402, *Payment Required*, came with a single line of explanation: this code is reserved for future use. Everything else on the list described something browsers and servers already did. 402 described a wish.

## A code without a protocol

The trouble was never the number. Any server could send a 402 the day the specification was published. What was missing was everything around it: a way for the server to say *how much* and *to whom*, a way for the client to pay without a person typing in a card number, and a way for the server to be sure the money had really moved before handing over the page. Without those three things, a 402 was a shrug with a status line.

So the web did what it could with the tools it had. Publishers built accounts, then subscriptions, then paywalls that counted your free articles in a cookie. Advertising filled the rest of the gap. Each of these works, in its way, but each asks the reader for more than one article is worth: an email address, a monthly commitment, or a stream of attention sold to strangers. ${longWaitSecret}

## What changed

Two things arrived at roughly the same time. The first was money that software can hold: dollar-denominated tokens that settle in seconds and cost a fraction of a cent to move. The second was a small protocol, **x402**, that fills in the missing pieces:

1. The server answers with a 402 and a machine-readable description of the price.
2. The client signs an authorization for exactly that amount and retries.
3. The server checks the signature, delivers the content, and settles the payment on chain.

None of this needs an account. The reader's wallet *is* the account, and the signature is the receipt. That matters most for the readers who were never going to subscribe: the person who follows one link from a friend, or the program that needs one paragraph of one report and will never visit again.

## The part that is still hard

A protocol does not decide what things should cost, and it does not make a bad article worth paying for. It also asks publishers to be honest about what a payment buys: a day, a week, or the article for good. Kiosk shows that window next to every price, because a few cents feels fair only when you know exactly what you are getting.

The number waited a long time. It would be a shame to spend it on anything less than a fair deal.
`,
  },
  {
    slug: "what-a-penny-costs-to-move",
    title: "What a Penny Costs to Move",
    teaser:
      "A card payment carries a fixed fee larger than most things worth a penny. A short tour of the arithmetic that sank micropayments the first time, and of the two costs that matter more than the fee.",
    priceAtomic: 100_000n,
    accessWindowSeconds: ACCESS_WINDOWS.week,
    publishedAt: new Date("2025-06-05T08:00:00Z"),
    secretSentence: pennySecret,
    body: `Ask a shopkeeper why there is a minimum for card purchases and you will get the whole economics of micropayments in one sentence: the fee eats the sale. Card networks typically charge a percentage plus a fixed amount per transaction, and that fixed part, often tens of cents, is more than the price of a single article. Selling something for a nickel on those rails means losing money on every sale.

## The fee is only the first cost

The obvious fix is to batch: keep a running tab and charge the card once a month. Many services do exactly that, and it works, but it quietly turns a purchase into a relationship. Now there is an account to create, a balance to track, a dispute process, and a bill that arrives weeks after the reading. The reader who wanted one article has been enrolled in a small bank.

The second cost is the one that essayists in the early years of the web kept returning to: the *mental* transaction cost. Every decision to pay, however small, asks for a moment of attention. Is this worth it? Do I trust this site? Will I be charged again? If the answer takes longer to reach than the article takes to read, people stop reading. Flat subscriptions won not because they were cheaper but because they let readers decide once. ${pennySecret}

## Three conditions for small payments

For a payment of a few cents to make sense, three things must hold at once:

- **The fee must be a rounding error.** On modern networks for digital dollars, moving a few cents costs a small fraction of a cent.
- **The decision must be quick.** The price is shown before you click, in dollars and cents, with what it buys spelled out.
- **The payment must not follow you.** No account, no renewal, no card on file waiting to be charged again.

Remove any one of these and the old arithmetic comes back. Keep all three and something new becomes possible: a reader can pay exactly for what they read, a writer can be paid by people who would never subscribe, and a program can buy one answer without signing a contract.

The penny was never too small to be worth something. It was the machinery around it that was too large.
`,
  },
  {
    slug: "reading-the-tide-tables",
    title: "Reading the Tide Tables",
    teaser:
      "Tide predictions for a harbor are printed a year in advance and are rarely wrong by more than a few minutes. They come not from watching the sea but from adding up a few dozen waves, each keeping time with the moon or the sun.",
    priceAtomic: 30_000n,
    accessWindowSeconds: ACCESS_WINDOWS.day,
    publishedAt: new Date("2025-06-02T08:00:00Z"),
    secretSentence: tidesSecret,
    body: `Anyone who has lived near a harbor knows the little booklet: a year of high and low waters, printed months before the first of them arrives. It is one of the oldest and most reliable forecasts people make, far more dependable than the weather, and it rests on a simple idea. The tide is not one wave but the sum of many, and each of those waves keeps perfect time.

## A sum of steady rhythms

The largest rhythm at most places is the principal lunar semidiurnal tide, known to oceanographers as *M2*. It rises and falls twice in a lunar day, with a period of about 12 hours and 25 minutes, which is why high water comes roughly fifty minutes later each day. Beside it sit a solar tide with a period of exactly 12 hours, a handful of once-daily tides, and dozens of smaller terms that account for the tilt of the moon's orbit, its changing distance, and the shape of the coast.

Each of these components has a known period, fixed by astronomy. What differs from harbor to harbor is how large each one is and when it peaks. Those two numbers per component, the *harmonic constants*, are found by recording the water level for a long stretch, ideally a year or more, and fitting the record to the known periods. Once a harbor's constants are known, predicting its tides for any date is only arithmetic. ${tidesSecret}

## Machines that did the sums

In the nineteenth century that arithmetic was done by machine. William Thomson, later Lord Kelvin, designed a tide-predicting machine in which each component was a pulley riding on a crank turning at its own rate. A single wire running over all of them added the motions together, and a pen traced the predicted tide on a roll of paper. Later machines of the same design carried dozens of components and stayed in use well into the age of electronic computers.

## What the table leaves out

A tide table predicts the *astronomical* tide. It knows nothing about storm surges, strong onshore winds, or a sudden drop in air pressure, all of which can lift the water well above the printed figure. Harbor masters read the table and then look at the sky.

> The table is the part of the answer that can be known a year ahead; the rest still has to be watched.
`,
  },
  {
    slug: "clocks-that-disagree",
    title: "Clocks That Disagree",
    teaser:
      "Every computer in a network believes it knows the time, and no two of them agree. How distributed systems learned to stop asking what time it is and start asking what happened first.",
    priceAtomic: 80_000n,
    accessWindowSeconds: null,
    publishedAt: new Date("2025-05-28T08:00:00Z"),
    secretSentence: clocksSecret,
    body: `The clock in your laptop is a small quartz crystal and a counter. It is accurate to within a few seconds a day, which is wonderful for a wristwatch and useless for deciding which of two database writes happened first. Put a thousand such clocks in a data center and you have a thousand slightly different opinions about the present.

## Synchronizing is not enough

Network time protocols narrow the disagreement by asking a more trustworthy clock for the time and correcting for how long the question took to travel. On a good network that brings machines within a millisecond or so of each other. But a millisecond is a long time for a computer, and the correction itself can go wrong: a clock can be stepped backwards, a virtual machine can be paused, and a leap second can make one minute sixty-one seconds long. Systems that sort events by wall-clock time inherit every one of those hiccups.

## Ordering without clocks

In 1978 Leslie Lamport published a paper with a modest title, *Time, Clocks, and the Ordering of Events in a Distributed System*, that changed the question. Instead of asking when something happened, ask what could have caused what. If a message leaves one machine and arrives at another, the sending happened before the receiving, no matter what either clock says. Give every process a counter, increase it with every event, and stamp every message with it; on receipt, jump ahead of the stamp if it is larger. The numbers that result never contradict cause and effect.

${clocksSecret} Later designs built on the same idea:

- **Vector clocks** keep one counter per process and can tell when two events are genuinely concurrent.
- **Hybrid logical clocks** stay close to physical time while keeping the causal guarantee.
- Some databases go the other way and buy very good clocks, with GPS receivers and atomic references, then wait out the remaining uncertainty before committing a write.

## A lesson for payments

Payment systems meet the same problem in a sharper form. Two requests carrying the same signed authorization can reach two servers within the same millisecond, and comparing timestamps will not say which one should win. A unique key in a database will: whichever insert lands first takes the payment, and the other learns that it came second. The clock never has to be right.
`,
  },
  {
    slug: "in-praise-of-the-marginal-note",
    title: "In Praise of the Marginal Note",
    teaser:
      "Some of the best conversations books ever had took place in pencil, in the space the printer left empty. An essay on annotation, borrowed copies, and the most famous margin in mathematics.",
    priceAtomic: 10_000n,
    accessWindowSeconds: null,
    publishedAt: new Date("2025-05-21T08:00:00Z"),
    secretSentence: marginSecret,
    body: `Secondhand bookshops sell two kinds of copies: clean ones, and the interesting ones. The interesting ones have a previous reader in them. A line underlined twice, a question mark beside a confident claim, a date and a place written inside the cover. Nobody prices these copies higher, and nobody who has found one would trade it for a clean edition.

## Reading with a pencil

A note in the margin is the smallest form of writing there is, and one of the most honest. It is not addressed to anyone; it is the reader arguing, agreeing, or catching a thought before it escapes. Students are told to annotate as a study technique, and it works, but the deeper value is that writing a response forces the reader to have one. You cannot scribble *no* beside a paragraph without deciding what you disagree with. ${marginSecret}

## The most famous margin

Around 1637 Pierre de Fermat, reading a Latin edition of Diophantus, wrote beside one problem that no cube can be split into two cubes, nor any higher power into two like powers, and that he had a truly marvelous proof which this margin was too narrow to contain. The note was published by his son after his death. Generations of mathematicians looked for the proof. Andrew Wiles finally proved the statement in the 1990s, with mathematics Fermat could not have known, and most mathematicians doubt that Fermat ever had a complete proof. The margin was too narrow, but it was wide enough to set a problem for three and a half centuries.

## Margins on the screen

Digital reading has made annotation easier and stranger. Highlights sync between devices, and some readers share their notes publicly, so that a popular passage arrives already underlined by thousands of strangers. Something is gained in that crowd, and something is lost: the private, unguarded quality of a note meant for no one.

If you buy an article here, it is yours for as long as its window says. Read it with a pencil in hand, even if the pencil is only a text file open beside it.
`,
  },
  {
    slug: "plumbing-of-a-digital-dollar",
    title: "The Plumbing of a Digital Dollar",
    teaser:
      "A dollar token on a blockchain is a promise, a ledger entry, and a set of rules for moving it. A plain-language walk through minting, redemption, reserves, and what actually happens when you sign a payment.",
    priceAtomic: 500_000n,
    accessWindowSeconds: ACCESS_WINDOWS.month,
    publishedAt: new Date("2025-05-14T08:00:00Z"),
    secretSentence: dollarSecret,
    body: `When someone says they paid with a digital dollar, three separate systems were involved, and it helps to pull them apart. There is the *issuer*, a company that holds reserves and promises to exchange each token for a dollar. There is the *ledger*, a public blockchain that records who holds how many tokens. And there is the *contract*, a small program on that ledger that enforces the rules for moving them.

## Minting and redeeming

A token comes into existence when a customer of the issuer sends dollars through the ordinary banking system and the issuer creates the same number of tokens at the customer's address. It leaves existence the same way in reverse: tokens are sent back and destroyed, and dollars go out by bank transfer. Between those two moments, a token can change hands any number of times without the issuer being involved at all. The peg holds because anyone eligible to redeem can always swap a token for a dollar at the issuer, so a token trading well below a dollar is an opportunity someone will take.

That promise is only as good as the reserves behind it. Careful issuers hold cash and very short-term government debt, publish regular reports on those holdings checked by outside accountants, and can freeze tokens when the law requires it. Anyone holding tokens is trusting all of that, which is why the reserve reports matter more than any marketing.

## Moving a token with a signature

The contract is where the interesting engineering lives. A plain token transfer needs the holder to send a transaction and pay the network fee. Many dollar tokens also support *transfer with authorization*, defined in a standard known as EIP-3009: the holder signs a message saying who may receive how much, between which times, with a unique random nonce, and anyone can submit that signed message to the contract. The contract checks the signature, checks that the nonce has never been used, and moves the tokens. ${dollarSecret}

This is what Kiosk uses. When you unlock an article, your wallet signs an authorization for the exact price, payable to the publisher, valid for a few minutes. The site submits it and pays the network fee itself. The nonce means the same signature can never be spent twice, and the time limit means an unused one simply expires.

## What can still go wrong

- Signatures can be phished: a page can ask you to sign an authorization for far more than it says. Good wallets show the amount and the recipient in plain terms, and you should read them.
- Networks get congested, and a settlement can fail after a signature is given. A careful site delivers the content and settles in one step, and never charges for a page it failed to show.

The plumbing is good. It still rewards the people who check the pipes.
`,
  },
];

// Sample data: clearly labelled as made up, so nobody mistakes the demo for a market feed.
const stablecoinSupply = {
  dataset: "stablecoin-supply",
  description: "Weekly circulating supply of a basket of dollar stablecoins, in US dollars.",
  note: "Sample data generated for the Kiosk demo; not real market figures.",
  unit: "USD",
  series: [
    { weekStarting: "2025-03-03", circulating: 214_200_000_000, change: 1_800_000_000 },
    { weekStarting: "2025-03-10", circulating: 216_800_000_000, change: 2_600_000_000 },
    { weekStarting: "2025-03-17", circulating: 215_900_000_000, change: -900_000_000 },
    { weekStarting: "2025-03-24", circulating: 219_000_000_000, change: 3_100_000_000 },
    { weekStarting: "2025-03-31", circulating: 220_200_000_000, change: 1_200_000_000 },
    { weekStarting: "2025-04-07", circulating: 220_600_000_000, change: 400_000_000 },
    { weekStarting: "2025-04-14", circulating: 222_800_000_000, change: 2_200_000_000 },
    { weekStarting: "2025-04-21", circulating: 221_300_000_000, change: -1_500_000_000 },
    { weekStarting: "2025-04-28", circulating: 224_200_000_000, change: 2_900_000_000 },
    { weekStarting: "2025-05-05", circulating: 225_900_000_000, change: 1_700_000_000 },
    { weekStarting: "2025-05-12", circulating: 226_700_000_000, change: 800_000_000 },
    { weekStarting: "2025-05-19", circulating: 229_100_000_000, change: 2_400_000_000 },
  ],
};

// Predicted from five harmonic constituents (M2, S2, N2, K1, O1) for an imaginary harbor.
const harborTides = `time_utc,height_m,tide
2025-06-02T02:32Z,4.68,high
2025-06-02T08:44Z,0.40,low
2025-06-02T14:48Z,4.55,high
2025-06-02T20:59Z,0.08,low
2025-06-03T03:15Z,4.88,high
2025-06-03T09:27Z,0.18,low
2025-06-03T15:33Z,4.74,high
2025-06-03T21:43Z,-0.04,low
2025-06-04T03:57Z,4.98,high
2025-06-04T10:08Z,0.05,low
2025-06-04T16:16Z,4.84,high
2025-06-04T22:26Z,-0.06,low
2025-06-05T04:39Z,4.97,high
2025-06-05T10:50Z,0.02,low
2025-06-05T16:59Z,4.84,high
2025-06-05T23:09Z,0.04,low
2025-06-06T05:20Z,4.86,high
2025-06-06T11:32Z,0.09,low
2025-06-06T17:43Z,4.73,high
2025-06-06T23:53Z,0.24,low
2025-06-07T06:03Z,4.64,high
2025-06-07T12:16Z,0.26,low
2025-06-07T18:30Z,4.53,high
2025-06-08T00:40Z,0.53,low
2025-06-08T06:49Z,4.36,high
2025-06-08T13:03Z,0.50,low
2025-06-08T19:20Z,4.27,high
`;

export const seedDataEndpoints: readonly SeedDataEndpoint[] = [
  {
    path: "markets/stablecoin-supply.json",
    name: "Stablecoin supply, weekly",
    description:
      "Twelve weeks of circulating supply for a basket of dollar stablecoins, in USD. Sample data. Paid per request.",
    contentType: "application/json",
    content: JSON.stringify(stablecoinSupply, null, 2) + "\n",
    priceAtomic: 20_000n,
    accessWindowSeconds: null,
  },
  {
    path: "weather/harbor-tides.csv",
    name: "Harbor tide predictions",
    description:
      "A week of high and low waters for the imaginary harbor of Port Merrow, in metres above chart datum. Sample data. One payment reads it for 24 hours.",
    contentType: "text/csv",
    content: harborTides,
    priceAtomic: 50_000n,
    accessWindowSeconds: ACCESS_WINDOWS.day,
  },
  {
    path: "status.json",
    name: "Service status",
    description: "Whether the Kiosk catalog is up, and where to find it. Free.",
    contentType: "application/json",
    content:
      JSON.stringify(
        { service: "kiosk", status: "ok", articles: "/api/articles", data: "/api/data" },
        null,
        2,
      ) + "\n",
    priceAtomic: 0n,
    accessWindowSeconds: null,
  },
];

export const seedPricedArticles = seedArticles.filter((a) => a.priceAtomic > 0n);
export const seedFreeArticles = seedArticles.filter((a) => a.priceAtomic === 0n);
