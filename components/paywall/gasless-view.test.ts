// What the gasless path says in each state, read off the view model without a browser: the status
// line's words, which step is current, and which buttons are offered.
import { createElement, Fragment, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { gaslessView, type GaslessState } from "./gasless-view";
import type { Quote } from "./quote";

const ADDRESS = "0x1234567890abcdef1234567890abcdef12345678";
const TX = `0x${"ab".repeat(32)}`;

function state(over: Partial<GaslessState> = {}): GaslessState {
  return {
    quote: { kind: "quote", quote: {} as Quote },
    action: { kind: "idle" },
    wallet: { connected: true, connecting: false, wrongChain: false, address: ADDRESS },
    ownership: { kind: "unknown" },
    network: "local",
    chainName: "Kiosk local (anvil)",
    terms: { price: "$0.05", access: "read for 30 days" },
    pageTerms: { price: "$0.05", access: "read for 30 days" },
    txLink: (hash) => `[tx ${hash.slice(0, 6)}]`,
    ...over,
  };
}

/** The words a node shows, as a reader (or a screen reader) gets them. */
const text = (node: ReactNode) =>
  renderToStaticMarkup(createElement(Fragment, null, node))
    .replace(/<[^>]+>/g, "")
    .replaceAll("&#x27;", "'")
    .replaceAll("&quot;", '"');

function read(s: GaslessState) {
  const view = gaslessView(s);
  return {
    tone: view.status.tone,
    title: view.status.title,
    detail: text(view.status.detail),
    hint: text(view.status.hint),
    current: view.steps?.find((step) => step.state === "current")?.label ?? null,
    done: view.steps?.filter((step) => step.state === "done").map((step) => step.label) ?? [],
    buttons: view.controls.map((c) => `${c.variant}: ${c.label}`),
    does: view.controls.map((c) => c.does),
  };
}

describe("before a wallet is involved", () => {
  it("says it is getting the price, with no steps and no buttons", () => {
    expect(read(state({ quote: { kind: "loading" } }))).toMatchObject({
      tone: "progress",
      title: "Getting the price…",
      current: null,
      buttons: [],
    });
  });

  it("a price that could not be read says why, that nothing was charged, and offers a reload", () => {
    const v = read(state({ quote: { kind: "failed", status: 500, message: "The server answered 500." } }));
    expect(v).toMatchObject({
      tone: "error",
      title: "The price could not be loaded",
      detail: "The server answered 500. Nothing was charged.",
      buttons: ["secondary: Reload the page"],
      does: ["reload-page"],
    });
  });

  it("an article bought already (another tab) is shown, not sold again", () => {
    expect(read(state({ quote: { kind: "unlocked" } }))).toMatchObject({
      tone: "success",
      title: "Already unlocked",
      detail: "You bought this article already (perhaps in another tab). Showing it now…",
      buttons: [],
    });
  });
});

describe("idle", () => {
  const disconnected = { connected: false, connecting: false, wrongChain: false, address: undefined };

  it("without a wallet: connect, or pay by transfer with a QR code", () => {
    expect(read(state({ wallet: disconnected }))).toMatchObject({
      tone: "info",
      title: "Connect a wallet to pay",
      detail: "Any wallet holding USDC works. No account, no gas for the gasless payment.",
      current: "Connect",
      buttons: ["primary: Connect a wallet", "secondary: Pay with a transfer (QR code)"],
      does: ["connect", "transfer"],
    });
  });

  it("while the wallet dialog is open: connecting", () => {
    expect(read(state({ wallet: { ...disconnected, connecting: true } }))).toMatchObject({
      tone: "progress",
      title: "Connecting…",
      detail: "Choose a wallet in the dialog and approve the connection.",
      current: "Connect",
    });
  });

  it("on another chain: wrong network, nothing charged, and a switch button naming the chain", () => {
    const v = read(
      state({ wallet: { connected: true, connecting: false, wrongChain: true, address: ADDRESS } }),
    );
    expect(v).toMatchObject({
      tone: "error",
      title: "Wrong network",
      detail:
        "Kiosk is paid on Kiosk local (anvil), and the wallet did not switch to it. Nothing was charged.",
      current: "Network",
      done: ["Connect"],
      buttons: ["primary: Switch to Kiosk local (anvil)"],
    });
  });

  it("ready: the 402's terms, the paying wallet, and Confirm naming the price", () => {
    const v = read(state());
    expect(v).toMatchObject({
      tone: "info",
      title: "Ready to pay",
      current: "Sign",
      done: ["Connect", "Network"],
      buttons: ["primary: Confirm and pay $0.05", "secondary: Pay with a transfer instead"],
      does: ["confirm", "transfer"],
    });
    expect(v.detail).toBe(
      "$0.05 · read for 30 daysFrom 0x123456…345678 on Kiosk local (anvil). You sign once; the site pays the network fee.",
    );
  });

  it("ready, when the price changed since the page loaded: says so, and confirms the new price", () => {
    const v = read(state({ terms: { price: "$0.07", access: "read for 30 days" } }));
    expect(v.detail).toContain(
      "The terms changed since this page loaded (it said $0.05 · read for 30 days).",
    );
    expect(v.buttons[0]).toBe("primary: Confirm and pay $0.07");
  });
});

describe("a wallet that may have bought it already", () => {
  const unproven = { kind: "unproven", signingIn: false, error: null } as const;

  it("not signed in: the price stands, with an offer to sign in and restore", () => {
    const v = read(state({ ownership: unproven }));
    expect(v).toMatchObject({
      title: "Ready to pay",
      buttons: [
        "primary: Confirm and pay $0.05",
        "secondary: Pay with a transfer instead",
        "secondary: Already bought it? Sign in to restore",
      ],
      does: ["confirm", "transfer", "sign-in"],
    });
    expect(v.detail).toContain("$0.05 · read for 30 days");
  });

  it("signing in: says it costs nothing, and offers no second sign-in", () => {
    const v = read(state({ ownership: { ...unproven, signingIn: true } }));
    expect(v.does).toEqual(["confirm", "transfer"]);
    expect(v.hint).toMatch(/costs nothing and sends no transaction/);
  });

  it("a sign-in that failed says why, and offers it again", () => {
    const v = read(
      state({ ownership: { ...unproven, error: "You declined the signature; nothing happened." } }),
    );
    expect(v.hint).toBe("You declined the signature; nothing happened.");
    expect(v.does).toContain("sign-in");
  });

  it("signed in as an owner: Restore access, and no price, no payment, no transfer", () => {
    const v = read(state({ ownership: { kind: "owner" } }));
    expect(v).toMatchObject({
      tone: "success",
      title: "Already yours",
      buttons: ["primary: Restore access"],
      does: ["restore"],
      current: null,
    });
    expect(v.detail).not.toContain("$0.05");
    expect(v.detail).toMatch(/nothing is paid again/);
  });

  it("signed in as a wallet that holds nothing: the price, and no sign-in offer", () => {
    const v = read(state({ ownership: { kind: "not-owner" } }));
    expect(v.does).toEqual(["confirm", "transfer"]);
    expect(v.detail).toContain("$0.05");
  });
});

describe("paying", () => {
  it("switching: asks to approve the switch in the wallet", () => {
    expect(read(state({ action: { kind: "switching" } }))).toMatchObject({
      tone: "progress",
      title: "Switching network…",
      detail: "Approve the switch to Kiosk local (anvil) in your wallet.",
      current: "Network",
      buttons: [],
    });
  });

  it("signing: names the amount and that signing costs no gas", () => {
    expect(read(state({ action: { kind: "signing" } }))).toMatchObject({
      tone: "progress",
      title: "Waiting for your signature…",
      detail:
        "Approve the USDC payment of $0.05 in your wallet. Signing costs no gas; nothing moves until the article is ready.",
      current: "Sign",
    });
  });

  it("settling: the hash follows", () => {
    expect(read(state({ action: { kind: "settling" } }))).toMatchObject({
      tone: "progress",
      title: "Settling on chain…",
      detail: "Your payment is being submitted; the transaction hash follows in a moment.",
      current: "Settle on chain",
      done: ["Connect", "Network", "Sign"],
    });
  });

  it("unlocked by a payment: the transaction, and a reload in case the page keeps the lock", () => {
    const v = read(state({ action: { kind: "unlocked", txHash: TX, access: "paid" } }));
    expect(v).toMatchObject({ tone: "success", title: "Unlocked", current: null, buttons: [] });
    expect(v.done).toEqual(["Connect", "Network", "Sign", "Settle on chain", "Read"]);
    expect(v.detail).toBe(
      "Settled on chain in transaction [tx 0xabab]. Loading the article… Not showing? Reload the page.",
    );
  });

  it("unlocked by an earlier purchase of this wallet: nothing was charged", () => {
    const v = read(state({ action: { kind: "unlocked", txHash: null, access: "entitlement" } }));
    expect(v.title).toBe("Already unlocked");
    expect(v.detail).toContain("Your wallet had already bought it, so nothing was charged.");
  });
});

describe("errors", () => {
  const error = (e: Extract<GaslessState["action"], { kind: "error" }>["error"]) =>
    read(state({ action: { kind: "error", error: e } }));

  it("a rejected signature: nothing charged, try again", () => {
    expect(error({ kind: "rejected" })).toMatchObject({
      tone: "error",
      title: "Signature rejected",
      detail: "You declined in your wallet. Nothing was charged.",
      buttons: ["primary: Try again"],
      does: ["retry"],
    });
  });

  it("not enough USDC: the balance, the local chain's hint, try again or use another wallet", () => {
    const v = error({ kind: "insufficient-funds", balance: 20_000n });
    expect(v).toMatchObject({
      title: "Not enough USDC",
      detail:
        "This article costs $0.05 and the wallet holds 0.02 USDC on Kiosk local (anvil). Nothing was charged.",
      buttons: ["primary: Try again", "secondary: Use another wallet"],
      does: ["retry", "another-wallet"],
    });
    expect(v.hint).toContain('choose "Dev wallet"');
  });

  it("a wallet that cannot sign typed data: says so, and offers the transfer or another wallet", () => {
    expect(error({ kind: "typed-data-unsupported" })).toMatchObject({
      tone: "error",
      title: "This wallet cannot sign the payment",
      buttons: ["primary: Pay with a transfer instead", "secondary: Use another wallet"],
      does: ["transfer", "another-wallet"],
    });
  });

  it("the wallet would not switch: the switch button again", () => {
    expect(error({ kind: "wrong-network", detail: "" }).does).toEqual(["switch-network"]);
  });

  it("another tab is paying with this wallet: refresh instead of paying twice", () => {
    expect(error({ kind: "in-use" })).toMatchObject({ buttons: ["primary: Refresh"], does: ["refresh"] });
  });

  it("every error has a title, says what happened, and offers a way on", () => {
    const all = [
      { kind: "settlement-failed", detail: "Refused." },
      { kind: "may-have-settled", txHash: null, detail: "Retry." },
      { kind: "unavailable", detail: "Down." },
    ] as const;
    for (const e of all) {
      const v = error(e);
      expect(v.tone).toBe("error");
      expect(v.title).not.toBe("");
      expect(v.detail).not.toBe("");
      expect(v.buttons.length).toBeGreaterThan(0);
    }
  });
});
