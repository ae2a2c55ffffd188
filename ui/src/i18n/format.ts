// Numbers, durations, times, lists and region names in the app's language,
// through Intl (never in the webview's default locale).
import { intlLocale, ltr, t } from './index';

/** A countdown as a clock: 75 -> "1:15", 9 -> "0:09", 3725 -> "1:02:05". */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  const two = (n: number) => String(n).padStart(2, '0');
  const mm = Math.floor((s % 3600) / 60);
  const text = s >= 3600 ? `${Math.floor(s / 3600)}:${two(mm)}:${two(s % 60)}` : `${mm}:${two(s % 60)}`;
  // Read left to right in every language, as clocks are.
  return ltr(text);
}

type DurationFormatCtor = new (
  locale: string,
  options: { style: 'long' },
) => { format(d: Record<string, number>): string };

/** A duration in words: 600 -> "10 minutes", 90 -> "1 minute, 30 seconds"
 * (Intl.DurationFormat where the webview has it, else unit by unit). */
export function duration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const parts: Record<string, number> = {};
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h) parts.hours = h;
  if (m) parts.minutes = m;
  if (s || total === 0) parts.seconds = s;
  const Duration = (Intl as unknown as { DurationFormat?: DurationFormatCtor }).DurationFormat;
  if (Duration) return new Duration(intlLocale(), { style: 'long' }).format(parts);
  const unit = { hours: 'hour', minutes: 'minute', seconds: 'second' } as const;
  const words = Object.entries(parts).map(([k, n]) =>
    new Intl.NumberFormat(intlLocale(), { style: 'unit', unit: unit[k as keyof typeof unit], unitDisplay: 'long' }).format(n),
  );
  return list(words, 'unit');
}

/** "28 Nov 2026, 14:05" in the app's language, from Unix seconds. */
export function dateTime(unix: number): string {
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(unix * 1000);
}

function time(unix: number): string {
  return new Intl.DateTimeFormat(intlLocale(), { hour: 'numeric', minute: '2-digit' }).format(unix * 1000);
}

/** How long ago, as people say it: "just now", "5 minutes ago", "3 hours ago", "2 days ago". */
export function ago(unix: number, now: number): string {
  const rtf = new Intl.RelativeTimeFormat(intlLocale(), { numeric: 'auto' });
  const s = Math.max(0, Math.round(now - unix));
  if (s < 60) return t('time.justNow');
  if (s < 3600) return rtf.format(-Math.floor(s / 60), 'minute');
  if (s < 86400) return rtf.format(-Math.floor(s / 3600), 'hour');
  return rtf.format(-Math.floor(s / 86400), 'day');
}

/**
 * When something happened, against `now` (both Unix seconds, one clock):
 * "just now", "5 minutes ago", "today at 14:05", "yesterday at 09:12", then the
 * date and time.
 */
export function when(unix: number, now: number): string {
  const s = now - unix;
  if (s >= 0 && s < 3600) return ago(unix, now);
  const day = (u: number) => new Date(u * 1000).toDateString();
  const rtf = new Intl.RelativeTimeFormat(intlLocale(), { numeric: 'auto' });
  if (day(unix) === day(now)) return t('time.dayAt', { day: rtf.format(0, 'day'), time: time(unix) });
  if (day(unix) === day(now - 86400)) return t('time.dayAt', { day: rtf.format(-1, 'day'), time: time(unix) });
  return dateTime(unix);
}

/** "a, b and c" in the app's language. */
export function list(items: string[], type: 'conjunction' | 'unit' = 'conjunction'): string {
  return new Intl.ListFormat(intlLocale(), { style: 'long', type }).format(items);
}

export function percent(share: number): string {
  return new Intl.NumberFormat(intlLocale(), { style: 'percent' }).format(share);
}

export function number(n: number): string {
  return new Intl.NumberFormat(intlLocale()).format(n);
}

/** A region's name in the app's language, from its ISO code ("GB"). */
export function regionName(code: string, fallback: string): string {
  try {
    return new Intl.DisplayNames([intlLocale()], { type: 'region', fallback: 'none' }).of(code) ?? fallback;
  } catch {
    return fallback;
  }
}
