/**
 * Content negotiation between the media types a route can answer in (RFC 9110 §12.5.1): each type
 * gets the quality of the most specific Accept range that matches it (type/subtype, then type/*,
 * then *\/*). The first offered type wins ties, so a client that sends no Accept, or `*\/*`, gets the
 * route's default; a browser (text/html listed, *\/* at a lower quality) gets HTML.
 */
export function negotiate<const T extends string>(accept: string | undefined, offered: readonly [T, ...T[]]): T {
  if (!accept) return offered[0]
  const ranges = accept.split(',').flatMap((part) => {
    const [range, ...params] = part.split(';').map((s) => s.trim().toLowerCase())
    if (!range || !range.includes('/')) return []
    const q = params.find((p) => p.startsWith('q='))
    const quality = q ? Number(q.slice(2)) : 1
    return Number.isFinite(quality) ? [{ range, quality }] : []
  })
  const qualityOf = (type: string) => {
    const [major] = type.split('/')
    for (const candidate of [type, `${major}/*`, '*/*']) {
      const match = ranges.filter((r) => r.range === candidate)
      if (match.length) return Math.max(...match.map((r) => r.quality))
    }
    return 0
  }
  let best = offered[0]
  let bestQuality = qualityOf(best)
  for (const type of offered.slice(1)) {
    const quality = qualityOf(type)
    if (quality > bestQuality) [best, bestQuality] = [type, quality]
  }
  // Nothing acceptable: answer in the default rather than refuse (406), as the other routes do.
  return best
}
