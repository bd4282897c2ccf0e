import { readFileSync } from 'node:fs'

/**
 * The functions with the most self time in a CPU profile (node --cpu-prof), with their share of the
 * busy time (idle and GC listed apart), as bench/README.md lists them per bench row.
 *   npx tsx bench/cpu-top.ts <file.cpuprofile> [how many, default 25]
 * TOP_SRC (default 15) sets how many functions of src/ it lists by total time.
 */
interface Node {
  id: number
  children?: number[]
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
}
interface Profile {
  nodes: Node[]
  samples: number[]
  timeDeltas: number[]
}

const [file, count = '25'] = process.argv.slice(2)
if (!file) throw new Error('usage: bench/cpu-top.ts <file.cpuprofile> [n]')
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const parentOf = new Map<number, number>()
for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id)
// Total time (self and callees) of the functions of src/, counted once per sample however deep the recursion.
const inclusive = new Map<string, number>()
const self = new Map<string, number>()
// Self time by where the code lives: a package of node_modules, a file of src/, or node's own.
const byPlace = new Map<string, number>()
const placeOf = (url: string) => {
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg) return pkg[1]!
  const own = /\/((src|bench|test)\/.*)$/.exec(url)
  return own ? own[1]! : url.startsWith('node:') ? 'node' : '(native)'
}
let total = 0
profile.samples.forEach((id, i) => {
  const node = byId.get(id)!
  const { functionName, url, lineNumber } = node.callFrame
  const where = url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(src|bench|test)\//, '$1/')}:${lineNumber + 1}` : ''
  const key = `${functionName || '(anonymous)'} ${where}`.trim()
  const ms = (profile.timeDeltas[i] ?? 0) / 1000
  self.set(key, (self.get(key) ?? 0) + ms)
  if (functionName !== '(idle)') byPlace.set(placeOf(url), (byPlace.get(placeOf(url)) ?? 0) + ms)
  total += ms
  const seen = new Set<string>()
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const frame = byId.get(at)!.callFrame
    if (!/\/src\//.test(frame.url) || !frame.functionName) continue
    const name = `${frame.functionName} ${placeOf(frame.url)}`
    if (!seen.has(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + ms)
    seen.add(name)
  }
})
const idle = self.get('(idle)') ?? 0
const busy = total - idle
console.log(`${(total / 1000).toFixed(1)} s sampled, ${(busy / 1000).toFixed(1)} s busy`)
for (const [key, ms] of [...self]
  .filter(([k]) => k !== '(idle)')
  .sort((a, b) => b[1] - a[1])
  .slice(0, Number(count)))
  console.log(`${((100 * ms) / busy).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(6)} ms  ${key}`)
console.log('by place:')
for (const [place, ms] of [...byPlace].sort((a, b) => b[1] - a[1]).slice(0, 12))
  console.log(`${((100 * ms) / busy).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(6)} ms  ${place}`)
console.log('total time of src/ functions:')
for (const [name, ms] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP_SRC ?? 15)))
  console.log(`${((100 * ms) / busy).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(6)} ms  ${name}`)
