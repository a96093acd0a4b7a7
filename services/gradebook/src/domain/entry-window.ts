import { addDays } from '@edu/kit';
import type { GradingPolicy } from './grading-policy';

// When a lesson's journal may be filled in by its teacher (R5.3): from the lesson's start until
// the policy's deadline, both in the school's local time (a lesson at 08:00 in Krasnoyarsk is
// 01:00 UTC). Without a date library: Intl gives the zone's offset at an instant.

/** The entry window of a lesson: opens at its start, closes at the policy's deadline (UTC instants). */
export function entryWindow(
  policy: Pick<GradingPolicy, 'entryDeadline' | 'entryDays'>,
  lesson: { date: string; startsAt: string },
  timeZone: string,
): { opensAt: Date; closesAt: Date } {
  const opensAt = localInstant(lesson.date, lesson.startsAt, timeZone);
  // The day after the last day the entry is open: its local midnight closes the window.
  let daysAfter: number;
  switch (policy.entryDeadline) {
    case 'same_day':
      daysAfter = 1;
      break;
    case 'next_monday': {
      // Monday 0 … Sunday 6; the Monday after the lesson's week, and one day more for its end.
      const weekday = (new Date(`${lesson.date}T00:00:00Z`).getUTCDay() + 6) % 7;
      daysAfter = 7 - weekday + 1;
      break;
    }
    case 'days':
      daysAfter = 1 + policy.entryDays;
      break;
  }
  return { opensAt, closesAt: localInstant(addDays(lesson.date, daysAfter), '00:00', timeZone) };
}

/** The UTC instant of a local date and "HH:MM" in a time zone. */
export function localInstant(date: string, time: string, timeZone: string): Date {
  const asUtc = Date.parse(`${date}T${time}:00Z`);
  // The offset at the guess, then again at the corrected instant (a change of offset in between).
  let instant = asUtc - offsetMs(new Date(asUtc), timeZone);
  const second = offsetMs(new Date(instant), timeZone);
  instant = asUtc - second;
  return new Date(instant);
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetMs(instant: Date, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function localParts(instant: Date, timeZone: string) {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const value = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value ?? NaN);
  return {
    year: value('year'),
    month: value('month'),
    day: value('day'),
    hour: value('hour'),
    minute: value('minute'),
    second: value('second'),
  };
}
