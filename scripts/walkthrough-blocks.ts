import { readFileSync } from 'node:fs'

/**
 * The commands of docs/walkthrough.md: its fenced `sh` blocks between `<!-- walkthrough:start -->`
 * and `<!-- walkthrough:end -->`, in order. test/walkthrough.test.ts runs them against the server,
 * scripts/prism-walkthrough.ts through a validating proxy.
 */
export const WALKTHROUGH = 'docs/walkthrough.md'

export function walkthroughBlocks(text: string): string[] {
  const start = text.indexOf('<!-- walkthrough:start -->')
  const end = text.indexOf('<!-- walkthrough:end -->')
  if (start < 0 || end < start) throw new Error(`${WALKTHROUGH} has no <!-- walkthrough:start --> … <!-- walkthrough:end --> section`)
  return [...text.slice(start, end).matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!)
}

/** The blocks of the walkthrough file at `path`. */
export const readWalkthrough = (path: string) => walkthroughBlocks(readFileSync(path, 'utf8'))
