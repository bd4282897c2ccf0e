import { DAY_MS } from '../../domain/time.js'
/**
 * Absences that could matter to a booking starting around `start`: those ending after two days
 * before it (wide enough for any zone's offset and a staggered span starting the evening before).
 */
export const absencesFrom = (start: Date) => new Date(start.getTime() - 2 * DAY_MS)
