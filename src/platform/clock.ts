/** Where "now" comes from, so that expiry and timescales can be tested at any moment. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock for tests that only moves when told. */
export function fixedClock(start: Date | string): Clock & { advanceMinutes(minutes: number): void; set(at: Date | string): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    advanceMinutes(minutes: number) {
      current = new Date(current.getTime() + minutes * 60_000);
    },
    set(at: Date | string) {
      current = new Date(at);
    },
  };
}
