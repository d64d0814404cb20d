/**
 * Counts events per key in a fixed window (per client address, per hour), in memory: for a limit a
 * handler applies itself, after it has kept what the request carried, rather than refusing it unread.
 * Per process, like the route rate limits.
 */
export class WindowLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one event for `key`: true while within the limit, false once over it. */
  take(key: string): boolean {
    const now = this.now();
    if (this.windows.size > 10_000) this.prune(now);
    const window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      this.windows.set(key, { start: now, count: 1 });
      return this.max >= 1;
    }
    window.count += 1;
    return window.count <= this.max;
  }

  /** Minutes until `key` may act again (at least 1). */
  minutesLeft(key: string): number {
    const window = this.windows.get(key);
    if (!window) return 1;
    return Math.max(1, Math.ceil((window.start + this.windowMs - this.now()) / 60_000));
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(key);
  }
}
