// The stats module's public surface: other modules import from here, never from its files.
export { aggregateDailyStats, dailyStats, deleteOldStats, noteAccountActive, STATS_DAYS } from './service.ts';
export { METRICS } from './store.ts';
export { berlinDay, berlinDayStart } from './days.ts';
