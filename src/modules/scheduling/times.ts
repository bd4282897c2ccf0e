const DAY_MS = 86_400_000

/**
 * Absences that could matter to a booking starting around `start`: those ending after two days
 * before it (wide enough for any zone's offset and a staggered span starting the evening before).
 */
export const absencesFrom = (start: Date) => new Date(start.getTime() - 2 * DAY_MS)
