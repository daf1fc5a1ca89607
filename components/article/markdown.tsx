// A stored article body (the sanitized hast tree lib/content/markdown.ts made when the body was
// saved) → React elements, with hast-util-to-jsx-runtime, the same step react-markdown ends with.
// No Markdown is parsed here, so a reader's request costs a walk over the tree, whatever the body.
//
// Safety rests on two rules. The tree is sanitized again here (allow-listed elements and
// properties, raw HTML dropped, http(s)-only links), so a tree stored by an older version obeys
// today's rules. And nothing here builds HTML strings: every piece of text is a React text node,
// which React escapes. Keep it that way: no dangerouslySetInnerHTML here, ever.
import { toJsxRuntime, type Components } from "hast-util-to-jsx-runtime";
import { Fragment, jsx, jsxs } from "react/jsx-runtime";
import { sanitizeTree, type BodyTree } from "@/lib/content/markdown";

const linkClass =
  "text-emerald-800 underline decoration-emerald-800/30 underline-offset-2 hover:decoration-emerald-800";
const h2Class = "mt-10 mb-3 font-sans text-2xl font-semibold tracking-tight text-stone-900";
const h3Class = "mt-8 mb-2 font-sans text-xl font-semibold text-stone-900";
const h4Class = "mt-6 mb-2 font-sans text-lg font-semibold text-stone-900";

/**
 * How each allowed element renders (shared with the test that checks this renderer against
 * react-markdown). The page title is the only h1, so "#" and "##" both become h2.
 */
export const markdownComponents: Partial<Components> = {
  h1: ({ children }) => <h2 className={h2Class}>{children}</h2>,
  h2: ({ children }) => <h2 className={h2Class}>{children}</h2>,
  h3: ({ children }) => <h3 className={h3Class}>{children}</h3>,
  h4: ({ children }) => <h4 className={h4Class}>{children}</h4>,
  h5: ({ children }) => <h4 className={h4Class}>{children}</h4>,
  h6: ({ children }) => <h4 className={h4Class}>{children}</h4>,
  p: ({ children }) => <p className="my-5">{children}</p>,
  em: ({ children }) => <em>{children}</em>,
  strong: ({ children }) => <strong>{children}</strong>,
  code: ({ children }) => (
    <code className="rounded bg-stone-100 px-1 py-0.5 font-mono text-[0.85em]">{children}</code>
  ),
  pre: ({ children }) => (
    <pre className="my-6 overflow-x-auto rounded-md bg-stone-100 p-4 font-mono text-sm leading-6 [&>code]:p-0 [&>code]:text-sm">
      {children}
    </pre>
  ),
  // A link whose target was not http(s) lost its href when sanitized: it reads as its label.
  a: ({ href, title, children }) =>
    href ? (
      <a href={href} title={title} className={linkClass} rel="noopener noreferrer nofollow">
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
  ul: ({ children }) => <ul className="my-5 list-disc space-y-2 pl-6">{children}</ul>,
  ol: ({ start, children }) => (
    <ol start={start === 1 ? undefined : start} className="my-5 list-decimal space-y-2 pl-6">
      {children}
    </ol>
  ),
  li: ({ children }) => <li className="pl-1">{children}</li>,
  blockquote: ({ children }) => (
    <blockquote className="my-6 border-l-2 border-stone-300 pl-5 text-stone-600 italic">
      {children}
    </blockquote>
  ),
  hr: () => <hr className="my-10 border-stone-200" />,
  br: () => <br />,
};

export function Markdown({ tree }: { tree: BodyTree }) {
  return toJsxRuntime(sanitizeTree(tree), { Fragment, jsx, jsxs, components: markdownComponents });
}
