// The cloud's clock, as seen from here. Countdowns (resend, expiry) are deadlines
// on the cloud's clock, so they follow it even when QA moves it forward.

export class CloudClock {
  private skew = 0;

  constructor(private readonly localNow: () => number = () => Date.now() / 1000) {}

  /** Record the cloud's time as it just told us. */
  sync(cloudNow: number): void {
    this.skew = cloudNow - this.localNow();
  }

  now(): number {
    return this.localNow() + this.skew;
  }

  /** Whole seconds left until `deadline` (cloud time), never negative. */
  left(deadline: number): number {
    return Math.max(0, Math.ceil(deadline - this.now()));
  }
}

/** "28 Nov 2026, 14:05" in the person's locale, from Unix seconds. */
export function dateTime(unix: number): string {
  return new Date(unix * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "14:05:12" in the person's locale, from Unix seconds. */
export function timeOfDay(unix: number): string {
  return new Date(unix * 1000).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
