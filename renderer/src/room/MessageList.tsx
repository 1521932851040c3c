// The conversation, virtualised: only the rows on screen exist in the DOM, so a room with
// 10,000 messages of history opens and scrolls without a stall. Sticks to the bottom while
// you are there; when you have scrolled up, new messages wait behind a "new messages"
// marker and a jump-to-latest button instead of yanking you down. Runs of joins and leaves
// are folded into one row first (chat/presence-runs.ts), opened in place.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Member } from '../../../common/protocol.ts';
import { clockTime, dayKey, dayLabel, fullDateTime } from '../chat/format.ts';
import { mentions } from '../chat/mentions.ts';
import { foldPresenceRuns, type ListRow } from '../chat/presence-runs.ts';
import type { Timeline, TimelineItem } from '../chat/timeline.ts';
import type { RoomFiles } from '../chat/useRoom.ts';
import { Avatar } from '../ui/Avatar.tsx';
import { LinkedText as Text } from '../ui/LinkedText.tsx';
import { FileMessage } from './FileMessage.tsx';

const GROUP_WINDOW_MS = 5 * 60_000;

export function MessageList({
  timeline,
  me,
  files,
  onLoadOlder,
}: {
  timeline: Timeline;
  me: Member | undefined;
  /** Where this member's file links point (undefined: no token yet, or a room without files). */
  files: RoomFiles | undefined;
  onLoadOlder(): void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const items = timeline.items;
  const rows = useMemo(() => foldPresenceRuns(items), [items]);
  const [openRuns, setOpenRuns] = useState<ReadonlySet<string>>(new Set());
  const toggleRun = useCallback(
    (key: string) =>
      setOpenRuns((open) => {
        const next = new Set(open);
        if (!next.delete(key)) next.add(key);
        return next;
      }),
    [],
  );
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 56,
    overscan: 12,
    getItemKey: (index) => rows[index]!.key,
  });

  const atBottom = useRef(true);
  const [unseen, setUnseen] = useState(0);
  const [markerKey, setMarkerKey] = useState<string>();
  const previous = useRef<{ count: number; firstKey: string | undefined; lastKey: string | undefined }>({ count: 0, firstKey: undefined, lastKey: undefined });

  const scrollToLatest = useCallback(() => {
    if (rows.length === 0) return;
    virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
    setUnseen(0);
  }, [rows.length, virtualizer]);

  useLayoutEffect(() => {
    const before = previous.current;
    const firstKey = rows[0]?.key;
    // The last line itself, not its row: a join added to a folded run is still news at the end.
    const lastKey = items.at(-1)?.key;
    previous.current = { count: items.length, firstKey, lastKey };
    if (items.length === 0 || lastKey === before.lastKey) {
      // Older history was prepended (or nothing changed at the end): keep the reader where they were.
      if (before.firstKey && firstKey !== before.firstKey) {
        const added = rows.findIndex((r) => r.key === before.firstKey);
        if (added > 0) virtualizer.scrollToIndex(added, { align: 'start' });
      }
      return;
    }
    if (before.count === 0 || atBottom.current) {
      virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
      // Measured heights settle a frame later; follow them.
      requestAnimationFrame(() => atBottom.current && virtualizer.scrollToIndex(rows.length - 1, { align: 'end' }));
      if (!document.hasFocus() && before.count > 0 && !markerKey) setMarkerKey(firstNewKey(items, before.lastKey));
      return;
    }
    const appended = countAfter(items, before.lastKey);
    setUnseen((n) => n + appended);
    if (!markerKey) setMarkerKey(firstNewKey(items, before.lastKey));
  }, [items, rows, virtualizer, markerKey]);

  // Sending something means you have caught up.
  useEffect(() => {
    const last = items.at(-1);
    if (last?.kind === 'pending') {
      setMarkerKey(undefined);
      atBottom.current = true;
      scrollToLatest();
    }
  }, [items, scrollToLatest]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
    if (atBottom.current) setUnseen(0);
    if (el.scrollTop < 240 && !timeline.exhausted && !timeline.loadingOlder) onLoadOlder();
  };

  return (
    <div className="messages-wrap">
      <div ref={scroller} className="messages" onScroll={onScroll} role="log" aria-label="Messages" aria-live="polite" tabIndex={0}>
        {items.length === 0 ? (
          <div className="empty-room">
            <p className="big">No messages yet</p>
            <p className="muted">Say hello: everyone in the room sees it, and people who join later see it too.</p>
          </div>
        ) : (
          <div className="messages-inner" style={{ height: virtualizer.getTotalSize() }}>
            {timeline.loadingOlder && <div className="loading-older">Loading earlier messages…</div>}
            {virtualizer.getVirtualItems().map((virtual) => {
              const row = rows[virtual.index]!;
              const first = firstItem(row);
              const prev = lastItem(rows[virtual.index - 1]);
              const newDay = !prev || dayKey(tsOf(prev)) !== dayKey(tsOf(first));
              return (
                <div key={virtual.key} data-index={virtual.index} ref={virtualizer.measureElement} className="row" style={{ transform: `translateY(${virtual.start}px)` }}>
                  {newDay && (
                    <div className="day" role="separator">
                      <span>{dayLabel(tsOf(first))}</span>
                    </div>
                  )}
                  {virtual.index === 0 && timeline.exhausted && <div className="beginning">This is the beginning of the room.</div>}
                  {markerKey === row.key && (
                    <div className="new-marker" role="separator">
                      <span>New messages</span>
                    </div>
                  )}
                  {row.kind === 'run' ? (
                    <PresenceRun run={row} open={openRuns.has(row.key)} onToggle={toggleRun} />
                  ) : (
                    <Row item={row.item} prev={newDay ? undefined : prev} me={me} files={files} />
                  )}
                </div>
              );
            })}
          </div>
        )}
      </div>
      {unseen > 0 && (
        <button type="button" className="jump" onClick={scrollToLatest}>
          {unseen} new {unseen === 1 ? 'message' : 'messages'} ↓
        </button>
      )}
    </div>
  );
}

/** Several joins and leaves in one line; the button shows each of them. */
function PresenceRun({ run, open, onToggle }: { run: Extract<ListRow, { kind: 'run' }>; open: boolean; onToggle(key: string): void }) {
  const listId = `lines-${run.key}`;
  return (
    <div className="presence-run">
      <div className="system tone-join">
        <span>
          {run.summary}
          <button type="button" className="run-toggle" aria-expanded={open} aria-controls={open ? listId : undefined} onClick={() => onToggle(run.key)}>
            {open ? 'Show less' : `Show all ${run.items.length}`}
          </button>
        </span>
      </div>
      {open && (
        <ul id={listId} className="run-lines" aria-label="Joins and leaves">
          {run.items.map((item) => (
            <li key={item.key} className={`system tone-${item.tone}`}>
              <span>{item.text}</span>
              <Time ts={item.ts} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Row({ item, prev, me, files }: { item: TimelineItem; prev: TimelineItem | undefined; me: Member | undefined; files: RoomFiles | undefined }) {
  if (item.kind === 'system') {
    return (
      <div className={`system tone-${item.tone}`} role={item.tone === 'connection' ? 'separator' : undefined}>
        <span>{item.text}</span>
      </div>
    );
  }
  const mine = item.kind === 'pending' || item.message.from.id === me?.id;
  const author = item.kind === 'pending' ? { id: me?.id ?? 'me', name: me?.name ?? 'You' } : item.message.from;
  const text = item.kind === 'pending' ? item.text : item.message.text;
  const ts = tsOf(item);
  const action = item.kind === 'pending' ? item.action : item.message.kind === 'action';
  const to = item.kind === 'pending' ? item.to : item.message.to?.name;
  const privateMessage = to !== undefined;
  const file = item.kind === 'message' ? item.message.file : undefined;
  // Your own messages never mention you, even when they say your name.
  const mentionsMe = !mine && me !== undefined && mentions(text, me.name);
  const time = <Time ts={ts} />;

  if (action) {
    return (
      <div className={`action-line${mentionsMe ? ' mentions-me' : ''}`}>
        {mentionsMe && <span className="visually-hidden">Mentions you: </span>}
        <span className="action-text" dir="auto">
          * {author.name} <Text text={text} />
        </span>
        {time}
      </div>
    );
  }

  const grouped =
    prev !== undefined &&
    (prev.kind === 'message' || prev.kind === 'pending') &&
    authorId(prev, me) === author.id &&
    !isPrivate(prev) &&
    !privateMessage &&
    ts - tsOf(prev) < GROUP_WINDOW_MS;

  const status =
    item.kind === 'pending' ? (item.failed ? <span className="state failed">Not sent: {item.failed}</span> : <span className="state">Sending…</span>) : mine ? <span className="state sent">Sent</span> : null;

  return (
    <article className={`msg${file ? ' has-file' : ''}${mine ? ' mine' : ''}${grouped ? ' grouped' : ''}${privateMessage ? ' private' : ''}${mentionsMe ? ' mentions-me' : ''}${item.kind === 'pending' ? ' pending' : ''}`}>
      {!mine && <div className="avatar-slot">{!grouped && <Avatar id={author.id} name={author.name} />}</div>}
      <div className="bubble">
        {mentionsMe && <span className="visually-hidden">Mentions you</span>}
        {!grouped && (
          <header>
            <span className="author">{mine ? 'You' : author.name}</span>
            {time}
          </header>
        )}
        {privateMessage && <span className="private-tag">{mine ? `Private to ${to}` : 'Private to you'}</span>}
        {file && item.kind === 'message' && <FileMessage file={file} seq={item.message.seq} files={files} />}
        {/* A file's caption is ordinary message text; a file without one has none. */}
        {(!file || text !== '') && (
          <p className="text" dir="auto">
            <Text text={text} />
          </p>
        )}
        {status}
      </div>
    </article>
  );
}

/** A message's clock time, with the full date and time as its tooltip. */
function Time({ ts }: { ts: number }) {
  return (
    <time dateTime={new Date(ts).toISOString()} title={fullDateTime(ts)}>
      {clockTime(ts)}
    </time>
  );
}

function firstItem(row: ListRow): TimelineItem {
  return row.kind === 'run' ? row.items[0]! : row.item;
}

function lastItem(row: ListRow | undefined): TimelineItem | undefined {
  if (!row) return undefined;
  return row.kind === 'run' ? row.items.at(-1) : row.item;
}

function tsOf(item: TimelineItem): number {
  return item.kind === 'message' ? item.message.ts : item.ts;
}

function authorId(item: TimelineItem, me: Member | undefined): string | undefined {
  if (item.kind === 'message') return item.message.from.id;
  if (item.kind === 'pending') return me?.id ?? 'me';
  return undefined;
}

function isPrivate(item: TimelineItem): boolean {
  return (item.kind === 'message' && item.message.to !== undefined) || (item.kind === 'pending' && item.to !== undefined);
}

function countAfter(items: TimelineItem[], key: string | undefined): number {
  const index = key ? items.findIndex((i) => i.key === key) : -1;
  return items.slice(index + 1).filter((i) => i.kind === 'message').length;
}

function firstNewKey(items: TimelineItem[], lastKey: string | undefined): string | undefined {
  const index = lastKey ? items.findIndex((i) => i.key === lastKey) : -1;
  return items.slice(index + 1).find((i) => i.kind === 'message')?.key;
}
