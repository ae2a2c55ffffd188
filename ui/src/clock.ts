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
