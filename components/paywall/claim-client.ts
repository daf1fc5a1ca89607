// The browser's half of the transfer path: present (resource, txHash, signature, quote, issuedAt)
// to POST /api/claims and keep asking while the server says "pending" or "not found yet" (or is
// rate limiting), as often as its Retry-After allows. The signature is made once and reused for
// every poll; it is good for ten minutes, longer than the default timeout below.
import { errorText } from "./quote";
import { readPaidResponse, type PaidOutcome } from "./outcome";

export type ClaimProgress =
  | { kind: "not-found" }
  | { kind: "pending"; confirmations: number; required: number };

export type ClaimOptions = {
  /** The resource's API path, e.g. "/api/articles/deep-sea". */
  resource: string;
  txHash: `0x${string}`;
  signature: `0x${string}`;
  /** The 402's transfer quote token, and the issued-at named in the signed message. */
  quote: string;
  issuedAt: string;
  onProgress?: (progress: ClaimProgress) => void;
  signal?: AbortSignal;
  /** Give up (and say so) after this long; the reader can claim again later with the same hash. */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
};

const DEFAULT_TIMEOUT_MS = 5 * 60_000; // under the server's 10-minute limit on a claim signature

export async function claimTransfer(options: ClaimOptions): Promise<PaidOutcome> {
  const doFetch = options.fetchImpl ?? fetch;
  const sleep = options.sleep ?? abortableSleep;
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const body = JSON.stringify({
    resource: options.resource,
    txHash: options.txHash,
    signature: options.signature,
    quote: options.quote,
    issuedAt: options.issuedAt,
  });

  for (;;) {
    const response = await doFetch("/api/claims", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      cache: "no-store",
      signal: options.signal,
    });
    if (
      response.status === 429 &&
      Date.now() + retryAfterMs(response.headers.get("retry-after")) <= deadline
    ) {
      await sleep(retryAfterMs(response.headers.get("retry-after")), options.signal);
      continue;
    }
    if (response.status !== 402) {
      if (response.status === 409) {
        return { kind: "failed", error: { kind: "transfer-refused", detail: await errorText(response) } };
      }
      return readPaidResponse(response);
    }
    const answer = (await response.json().catch(() => null)) as {
      status?: unknown;
      confirmations?: unknown;
      required?: unknown;
      error?: unknown;
    } | null;
    if (answer?.status === "pending") {
      options.onProgress?.({
        kind: "pending",
        confirmations: Number(answer.confirmations) || 0,
        required: Number(answer.required) || 1,
      });
    } else if (answer?.status === "not-found") {
      options.onProgress?.({ kind: "not-found" });
    } else {
      const detail =
        typeof answer?.error === "string" ? answer.error : "The transfer does not pay for this article.";
      return { kind: "failed", error: { kind: "transfer-refused", detail } };
    }
    const wait = retryAfterMs(response.headers.get("retry-after"));
    if (Date.now() + wait > deadline) {
      return {
        kind: "failed",
        error: {
          kind: "unavailable",
          detail:
            "The transfer is not confirmed yet. Claim it again in a minute with the same transaction hash.",
        },
      };
    }
    await sleep(wait, options.signal);
  }
}

/** Retry-After in seconds (what Kiosk sends), clamped so a bad header neither spins nor stalls. */
export function retryAfterMs(header: string | null): number {
  const seconds = header === null || header.trim() === "" ? NaN : Number(header);
  if (!Number.isFinite(seconds)) return 2_000;
  return Math.min(30_000, Math.max(500, seconds * 1000));
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
