// Article bodies built to be slow or deep for a Markdown parser, shared
// by lib/content/markdown.test.ts and `npm run bench`: each must be refused or parsed fast at save.
import { MAX_BODY_CHARS } from "./markdown";

/** Units repeated to fill a body: unclosed emphasis, brackets and links, quotes, nested list markers, lines. */
export const ADVERSARIAL_UNITS = [
  "*a ",
  " *a",
  "[",
  "[a](",
  "[a][",
  "**a ",
  ">",
  "> - ",
  "1. ",
  "a\n",
  "*a _b ",
];

export const repeatTo = (unit: string, chars: number) =>
  unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars);

/** A list nested by indentation, 40 levels deep, again and again. */
export function deepList(chars: number): string {
  let s = "";
  for (let i = 0; s.length < chars; i++) s += `${" ".repeat(2 * (i % 40))}- a\n`;
  return s.slice(0, chars);
}

/** [name, body]: every unit at the body limit, and the deep list. */
export function adversarialBodies(chars = MAX_BODY_CHARS): Array<[string, string]> {
  return [
    ...ADVERSARIAL_UNITS.map((u): [string, string] => [JSON.stringify(u), repeatTo(u, chars)]),
    ["deep list", deepList(chars)],
  ];
}
