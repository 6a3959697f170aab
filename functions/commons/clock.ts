import { localDate, type IsoDate } from '../core/dates.ts';
import { OFFICE_TIME_ZONE } from '../core/policy.ts';

/** Now, and today's calendar date in the office's time zone (the policy's). */
export interface Clock {
  now(): Date;
  today(): IsoDate;
}

/**
 * The one source of "now". In AWS it is the system clock; the local run moves it to simulate
 * consecutive monthly cycles, so handlers run unchanged against simulated dates.
 */
let offsetMs = 0;

export const clock = {
  now: (): Date => new Date(Date.now() + offsetMs),
  today: (): IsoDate => localDate(clock.now(), OFFICE_TIME_ZONE),
  /** Local simulation only: make `now()` read as the given instant from here on. */
  setNow(instant: Date): void {
    offsetMs = instant.getTime() - Date.now();
  },
} satisfies Clock & { setNow(instant: Date): void };

/** A clock stopped at one instant, or moved by hand (tests). */
export function fixedClock(at: Date | (() => Date)): Clock {
  const now = typeof at === 'function' ? at : () => at;
  return { now, today: () => localDate(now(), OFFICE_TIME_ZONE) };
}
