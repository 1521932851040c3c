// Small presentation helpers: times, days, initials and a stable color per person.

export function clockTime(ts: number, locale?: string): string {
  return new Date(ts).toLocaleTimeString(locale ?? [], { hour: '2-digit', minute: '2-digit' });
}

/** For a time's tooltip: "Tuesday 1 December 2026, 14:02" (in the reader's own locale). */
export function fullDateTime(ts: number, locale?: string): string {
  return `${longDate(ts, locale)}, ${clockTime(ts, locale)}`;
}

/** "Tuesday 1 December 2026" (in the reader's own locale unless one is given). */
function longDate(ts: number, locale?: string): string {
  return new Date(ts).toLocaleDateString(locale ?? [], { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
}

export function dayKey(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

export function dayLabel(ts: number, now = Date.now()): string {
  const key = dayKey(ts);
  if (key === dayKey(now)) return 'Today';
  if (key === dayKey(now - 86_400_000)) return 'Yesterday';
  return longDate(ts);
}

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!].map((w) => [...w][0]) : [...(words[0] ?? '?')].slice(0, 2);
  return letters.join('').toUpperCase();
}

/** Hue from the user id: the same person keeps the same color everywhere. */
export function hueFor(id: string): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  return hash % 360;
}
