/**
 * The one source of "now". In AWS it is the system clock; the local run moves it to simulate
 * consecutive monthly cycles, so handlers run unchanged against simulated dates.
 */
let offsetMs = 0;

export const clock = {
  now: (): Date => new Date(Date.now() + offsetMs),
  /** Local simulation only: make `now()` read as the given instant from here on. */
  setNow(instant: Date): void {
    offsetMs = instant.getTime() - Date.now();
  },
};
