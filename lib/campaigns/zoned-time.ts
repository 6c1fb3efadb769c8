/**
 * Wall-clock time in an IANA zone, with nothing but Intl.DateTimeFormat (Node ships full ICU and
 * its tz database): what a clock shows in a zone at an instant, and the instant a wall-clock time
 * in a zone happens. DST is handled by asking ICU for the offset at the instant itself, never by
 * assuming one.
 */

/** A wall-clock reading in some zone. */
export interface WallTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday ... 6 = Saturday (the local date's weekday). */
  weekday: number;
  /** Minutes since local midnight. */
  minuteOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    // Throws RangeError for a zone ICU does not know: a typo must not silently become UTC.
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether ICU knows the zone. */
export function isKnownTimeZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time in `zone` at `instantMs`. */
export function wallTimeAt(instantMs: number, zone: string): WallTime {
  const parts = formatterFor(zone).formatToParts(new Date(instantMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const year = get("year");
  const month = get("month");
  const day = get("day");
  const hour = get("hour");
  const minute = get("minute");
  const second = get("second");
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return { year, month, day, hour, minute, second, weekday, minuteOfDay: hour * 60 + minute };
}

/** The zone's offset from UTC at an instant, in ms (e.g. -4h for New York in July). */
function offsetAt(instantMs: number, zone: string): number {
  const w = wallTimeAt(instantMs, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (instantMs - (((instantMs % 1000) + 1000) % 1000));
}

const DAY_MS = 86_400_000;

/**
 * The instant at which `zone`'s clocks show the given local date and minute of the day (0-1440;
 * 1440 is the next midnight). A time repeated in the autumn overlap gives its first occurrence; a
 * time skipped by the spring gap gives the instant the clocks jump past it (02:30 -> 03:30), so a
 * window opening in the gap opens when the gap ends.
 */
export function instantOfWallTime(year: number, month: number, day: number, minuteOfDay: number, zone: string): number {
  const wallAsUtc = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  // The offsets a day before and after cover any single transition near this wall time.
  const before = offsetAt(wallAsUtc - DAY_MS, zone);
  const after = offsetAt(wallAsUtc + DAY_MS, zone);
  const candidates = [wallAsUtc - before, wallAsUtc - after].filter((t) => offsetAt(t, zone) + t === wallAsUtc);
  if (candidates.length > 0) return Math.min(...candidates);
  // In the gap: keep the pre-transition offset, which lands just as far past the jump.
  return wallAsUtc - before;
}

/** The local date `days` after the given one (calendar arithmetic, no zone involved). */
export function addLocalDays(
  year: number,
  month: number,
  day: number,
  days: number,
): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
}
