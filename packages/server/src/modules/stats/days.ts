import { DAY } from '../../adapters/clock.ts';

// Statistics count German calendar days, whatever the server's time zone.
const TZ = 'Europe/Berlin';

/** The calendar day in Germany, `YYYY-MM-DD`. */
export function berlinDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: TZ,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

function offsetMs(at: Date): number {
  const name =
    new Intl.DateTimeFormat('en', { timeZone: TZ, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (m === null) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

/** The first instant of a German calendar day. */
export function berlinDayStart(day: string): Date {
  const utc = Date.parse(`${day}T00:00:00Z`);
  const guess = utc - offsetMs(new Date(utc));
  return new Date(utc - offsetMs(new Date(guess)));
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T12:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}
