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

/**
 * When something happened, as people say it, against `now` (both Unix
 * seconds, on the same clock): "just now", "5 minutes ago", "today at
 * 14:05", "yesterday at 09:12", then the date: "28 Nov 2026, 14:05".
 */
export function when(unix: number, now: number): string {
  const s = now - unix;
  if (s >= 0 && s < 60) return 'just now';
  if (s >= 0 && s < 3600) {
    const m = Math.floor(s / 60);
    return `${m} minute${m === 1 ? '' : 's'} ago`;
  }
  const at = new Date(unix * 1000);
  const day = (d: Date) => d.toDateString();
  const today = new Date(now * 1000);
  const yesterday = new Date((now - 86400) * 1000);
  const time = at.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
  if (day(at) === day(today)) return `today at ${time}`;
  if (day(at) === day(yesterday)) return `yesterday at ${time}`;
  return dateTime(unix);
}
