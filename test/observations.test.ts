import { runDirectory } from './helpers/test-files.js'

await runDirectory('observations')
