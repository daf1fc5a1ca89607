/**
 * The home page's "For agents" section: where a program finds what is for sale and how it pays,
 * with a first request to copy (one click selects it). `origin` is the site's own, so the
 * example runs as shown; `sample` is a priced article's API path, when one is published.
 */
export function ForAgents({ origin, sample }: { origin: string; sample: string | null }) {
  const code = "font-mono text-[0.9em]";
  const example = [
    `curl ${origin}/.well-known/x402`,
    ...(sample ? [`curl -i ${origin}${sample}   # 402, the price in PAYMENT-REQUIRED`] : []),
  ].join("\n");
  return (
    <section
      id="agents"
      data-testid="for-agents"
      className="mt-16 rounded-xl border border-stone-200 bg-white p-6 sm:p-8"
    >
      <h2 className="text-xl font-semibold tracking-tight text-stone-900">For agents</h2>
      <p className="mt-2 text-sm leading-6 text-stone-600">
        Everything here can be bought by a program, with no account and no API key: request it, answer the{" "}
        <code className={code}>402</code> with a signed USDC payment, and get the content and a receipt to
        read again with.
      </p>
      <ul className="mt-4 space-y-2 text-sm leading-6 text-stone-600">
        <li>
          <a className="underline underline-offset-2" href="/.well-known/x402">
            <code className={code}>/.well-known/x402</code>
          </a>
          : every item for sale with its price, network and payee.
        </li>
        <li>
          <a className="underline underline-offset-2" href="/openapi.json">
            <code className={code}>/openapi.json</code>
          </a>
          : OpenAPI 3.1, with <code className={code}>x-payment-info</code> on each priced operation.
        </li>
        <li>
          <a className="underline underline-offset-2" href="/llms.txt">
            <code className={code}>/llms.txt</code>
          </a>
          : the same in Markdown, with how to pay (
          <a className="underline underline-offset-2" href="/llms-full.txt">
            <code className={code}>/llms-full.txt</code>
          </a>{" "}
          adds the free articles in full).
        </li>
        <li>
          <code className={code}>POST /mcp</code>: MCP tools (<code className={code}>list_articles</code>,{" "}
          <code className={code}>search</code>, <code className={code}>get_article</code>,{" "}
          <code className={code}>get_dataset</code>) over Streamable HTTP, paid the x402 way; and any article
          page answers Markdown to <code className={code}>Accept: text/markdown</code>.
        </li>
      </ul>
      {/* It scrolls sideways on a narrow screen: focusable, so a keyboard can scroll it too. */}
      <pre
        data-testid="agents-example"
        tabIndex={0}
        role="region"
        aria-label="Example: an x402 request and its answer"
        className="mt-5 overflow-x-auto rounded-lg bg-stone-900 p-4 font-mono text-xs leading-6 text-stone-100 select-all focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-700"
      >
        {example}
      </pre>
      <p className="mt-3 text-xs leading-5 text-stone-500">
        Any x402 v2 client pays, e.g. <code className={code}>wrapFetchWithPayment</code> from{" "}
        <code className={code}>@x402/fetch</code>; the official client refuses more than $1 a payment unless
        its spend controls allow more.
      </p>
    </section>
  );
}
