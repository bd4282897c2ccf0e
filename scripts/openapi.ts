import { writeFileSync } from 'node:fs'
import { buildApp } from '../src/app.js'
import { openDatabase } from '../src/db/client.js'

/** Regenerates openapi/openapi.json from the route schemas (`npm run openapi`). */
export async function generateOpenapi(): Promise<string> {
  const database = await openDatabase({ memory: true })
  try {
    const app = await buildApp({ database })
    await app.ready()
    const document = app.swagger()
    await app.close()
    return `${JSON.stringify(document, null, 2)}\n`
  } finally {
    await database.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = new URL('../openapi/openapi.json', import.meta.url)
  writeFileSync(target, await generateOpenapi())
  process.stdout.write(`wrote ${target.pathname}\n`)
}
