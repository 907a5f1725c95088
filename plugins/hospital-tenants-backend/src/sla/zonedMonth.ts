import { InputError } from '@backstage/errors';
import { SLA_REPORT_PERIOD_PATTERN } from '@prontuario/plugin-hospital-tenants-common';

/** The offset of `timeZone` from UTC at `at`, in ms. */
function offsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (type: string) =>
    Number(parts.find(p => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** Midnight of a calendar day in `timeZone`, as an instant. */
function zonedMidnight(year: number, month: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, 1);
  // two passes settle a DST change at midnight
  let at = guess - offsetMs(new Date(guess), timeZone);
  at = guess - offsetMs(new Date(at), timeZone);
  return new Date(at);
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    const known = new Intl.DateTimeFormat('en-US', {
      timeZone,
    }).resolvedOptions().timeZone;
    return !!known && /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(timeZone);
  } catch {
    return false;
  }
}

/** The instants a `YYYY-MM` month starts and ends in `timeZone`. */
export function monthInZone(
  period: string,
  timeZone: string,
): { from: Date; to: Date } {
  const match = SLA_REPORT_PERIOD_PATTERN.exec(period);
  if (!match) {
    throw new InputError('period must be a month, YYYY-MM');
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  return {
    from: zonedMidnight(year, month, timeZone),
    to: zonedMidnight(
      month === 12 ? year + 1 : year,
      month === 12 ? 1 : month + 1,
      timeZone,
    ),
  };
}

/** The calendar month (`YYYY-MM`) that `at` falls in, in `timeZone`. */
export function periodInZone(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => parts.find(p => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}`;
}

/** The `count` months up to and including `period`, newest first. */
export function monthsUpTo(period: string, count: number): string[] {
  const match = SLA_REPORT_PERIOD_PATTERN.exec(period);
  if (!match) {
    throw new InputError('period must be a month, YYYY-MM');
  }
  const index = Number(match[1]) * 12 + Number(match[2]) - 1;
  return Array.from({ length: count }, (_, i) => {
    const m = index - i;
    return `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
  });
}
