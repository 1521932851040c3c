// Runs of joins and leaves fold into one line ("Ann, Ben and 3 others joined; Cleo left"),
// so a busy morning of arrivals does not push the conversation off screen. Applied to the
// timeline before the list is virtualised: each fold is one row, opened in place.
import { dayKey } from './format.ts';
import type { PresenceChange, SystemItem, TimelineItem } from './timeline.ts';

/** Folded from this many lines in a row; one or two read fine as they are. */
export const FOLD_FROM = 3;

export type ListRow =
  | { key: string; kind: 'item'; item: TimelineItem }
  /** Keyed by its first line, so it keeps its key (and stays open) as it grows. */
  | { key: string; kind: 'run'; items: PresenceItem[]; summary: string };

type PresenceItem = SystemItem & { presence: PresenceChange };

export function foldPresenceRuns(items: readonly TimelineItem[]): ListRow[] {
  const rows: ListRow[] = [];
  let run: PresenceItem[] = [];
  const flush = () => {
    if (run.length >= FOLD_FROM) {
      rows.push({ key: `run:${run[0]!.key}`, kind: 'run', items: run, summary: presenceSummary(run.map((i) => i.presence)) });
    } else {
      for (const item of run) rows.push({ key: item.key, kind: 'item', item });
    }
    run = [];
  };
  for (const item of items) {
    if (!isPresence(item)) {
      flush();
      rows.push({ key: item.key, kind: 'item', item });
      continue;
    }
    // A run never crosses midnight: the day divider sits between its two halves.
    if (run.length > 0 && dayKey(run[0]!.ts) !== dayKey(item.ts)) flush();
    run.push(item);
  }
  flush();
  return rows;
}

/** "Ann, Ben and 3 others joined; Cleo left": each change once, in the order it first happened. */
export function presenceSummary(changes: readonly PresenceChange[]): string {
  const byChange = new Map<PresenceChange['change'], string[]>();
  for (const { name, change } of changes) {
    const names = byChange.get(change) ?? [];
    if (!names.includes(name)) names.push(name);
    byChange.set(change, names);
  }
  return [...byChange].map(([change, names]) => `${nameList(names)} ${change}`).join('; ');
}

function nameList(names: string[]): string {
  if (names.length === 1) return names[0]!;
  if (names.length <= 3) return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `${names[0]}, ${names[1]} and ${names.length - 2} others`;
}

function isPresence(item: TimelineItem): item is PresenceItem {
  return item.kind === 'system' && item.presence !== undefined;
}
