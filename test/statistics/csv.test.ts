/**
 * GET /v1/statistics with `Accept: text/csv`: a flat table with a header row that a CSV library
 * reads back, one row per group, figure and category, carrying exactly the numbers of the JSON
 * answer; a name that a spreadsheet would take for a formula stays text.
 */
import t from 'tap'
import { parse } from 'csv-parse/sync'
import { buildTestApp, call } from '../helpers/app.js'
import { FROM, S2_NAME, seed, TO } from './dataset.js'

interface CsvRow {
  from: string
  to: string
  group_type: string
  group_key: string
  group_name: string
  figure: string
  breakdown: string
  key: string
  value: string
}

t.test('the CSV carries the JSON’s figures, one row per group, figure and category', async (t) => {
  const ctx = await buildTestApp(t, { ownDatabase: true }) // the operator's figures count every centre
  const s = await seed(ctx)
  for (const [label, query, token] of [
    ['one centre', '', s.tokens.adminA],
    ['per site, every centre', '&groupBy=site', ctx.operator],
    ['per district', '&groupBy=district', s.tokens.staffA],
  ] as const) {
    const url = `/v1/statistics?from=${FROM}&to=${TO}${query}`
    const json = (await call(ctx.app, { url, token })).json
    const csv = await call(ctx.app, { url, token, headers: { accept: 'text/csv' } })
    t.equal(csv.status, 200, `${label}: ${csv.body.slice(0, 200)}`)
    t.match(csv.headers['content-type'], /^text\/csv; charset=utf-8/)
    t.match(csv.headers['content-disposition'], new RegExp(`^attachment; filename="statistics-${FROM}-${TO}`))
    t.equal(csv.body.split('\n')[0], 'from,to,group_type,group_key,group_name,figure,breakdown,key,value', 'a header row')
    const rows: CsvRow[] = parse(csv.body, { columns: true, skip_empty_lines: true })

    // Every number of the JSON, flattened independently of the service's own flattening.
    const expected: string[] = []
    for (const group of json.groups) {
      const name = group.name.startsWith('=') ? `'${group.name}` : group.name
      const line = (figure: string, breakdown: string, key: string, value: number | null) =>
        expected.push([group.type, group.key, name, figure, breakdown, key, value === null ? '' : String(value)].join('|'))
      for (const [figure, fields] of Object.entries<Record<string, unknown>>(group.figures)) {
        if ('median' in fields) {
          for (const statistic of ['count', 'median', 'p90']) line(figure, 'statistic', statistic, fields[statistic] as number | null)
          continue
        }
        line(figure, 'total', '', fields.total as number)
        for (const [by, categories] of Object.entries(fields)) {
          if (by === 'total') continue
          const breakdown = by.slice(2, 3).toLowerCase() + by.slice(3)
          for (const [key, value] of Object.entries(categories as Record<string, number>)) line(figure, breakdown, key, value)
        }
      }
    }
    t.ok(
      rows.every((r) => r.from === FROM && r.to === TO),
      `${label}: each row names the period`,
    )
    t.same(
      rows.map((r) => [r.group_type, r.group_key, r.group_name, r.figure, r.breakdown, r.key, r.value].join('|')).sort(),
      expected.sort(),
      `${label}: the same figures as the JSON, ${rows.length} rows`,
    )
  }

  const perSite: CsvRow[] = parse(
    (await call(ctx.app, { url: `/v1/statistics?from=${FROM}&to=${TO}&groupBy=site`, token: s.tokens.adminA, headers: { accept: 'text/csv' } })).body,
    { columns: true },
  )
  t.ok(
    perSite.some((r) => r.group_key === s.sites.S2 && r.group_name === `'${S2_NAME}`),
    'a site named like a formula is written as text',
  )
  const row = (figure: string, breakdown: string, key = '') =>
    perSite.find((r) => r.group_key === s.sites.S1 && r.figure === figure && r.breakdown === breakdown && r.key === key)?.value
  t.equal(row('visits', 'outcome', 'held'), '5', 'a category of a breakdown')
  t.equal(row('daysTrajectory', 'statistic', 'median'), '184', 'a duration')
  // The registration figures: age bands that a spreadsheet keeps as text, postcodes, minutes.
  t.same(
    perSite.filter((r) => r.group_key === s.sites.S1 && r.figure === 'persons' && r.breakdown === 'ageBand').map((r) => [r.key, r.value]),
    [
      ['0_2', '0'],
      ['3_5', '1'],
      ['6_11', '0'],
      ['12_17', '1'],
      ['adult', '2'],
      ['unknown', '7'],
    ],
  )
  t.equal(row('persons', 'postcode', '2000'), '2')
  t.equal(row('persons', 'gender', 'x'), '1')
  t.equal(row('counsellingMinutes', 'total'), '360')
  t.equal(row('onwardReferrals', 'kind', 'mental_health'), '1')
  t.equal(perSite.find((r) => r.group_key === s.sites.S2 && r.figure === 'daysTrajectory' && r.key === 'median')?.value, '', 'no data: an empty cell')
  const json = await call(ctx.app, {
    url: `/v1/statistics?from=${FROM}&to=${TO}`,
    token: s.tokens.adminA,
    headers: { accept: 'application/json, text/csv;q=0.5' },
  })
  t.match(json.headers['content-type'], /^application\/json/, 'JSON when preferred')
})
