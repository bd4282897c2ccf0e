import { readFileSync } from 'node:fs'

/**
 * The commands of docs/walkthrough.md: its fenced `sh` blocks between `<!-- walkthrough:start -->`
 * and `<!-- walkthrough:end -->`, then those of the day of a visit (`<!-- day-of-visit:… -->`),
 * which goes on in the same shell. test/walkthrough.test.ts runs them against the server,
 * scripts/prism-walkthrough.ts through a validating proxy.
 */
export const WALKTHROUGH = 'docs/walkthrough.md'

/** The `sh` blocks between `<!-- name:start -->` and `<!-- name:end -->`, in order. */
export function sectionBlocks(text: string, name: string): string[] {
  const start = text.indexOf(`<!-- ${name}:start -->`)
  const end = text.indexOf(`<!-- ${name}:end -->`)
  if (start < 0 || end < start) throw new Error(`${WALKTHROUGH} has no <!-- ${name}:start --> … <!-- ${name}:end --> section`)
  return [...text.slice(start, end).matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!)
}

/** The blocks of the walkthrough file at `path`, by section. */
export function readWalkthrough(path: string): { walkthrough: string[]; dayOfVisit: string[] } {
  const text = readFileSync(path, 'utf8')
  return { walkthrough: sectionBlocks(text, 'walkthrough'), dayOfVisit: sectionBlocks(text, 'day-of-visit') }
}
