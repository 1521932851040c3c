// Everything that happened, newest at the bottom: filter by kind, search, and pause the
// auto-scroll to read.
import { useEffect, useRef, useState } from 'react';
import type { ActivityEntry } from '../../../common/ipc.ts';
import { clockTime } from '../chat/format.ts';

const KINDS: Array<[string, ActivityEntry['kind'][]]> = [
  ['All', []],
  ['People', ['join', 'leave', 'rename']],
  ['Moderation', ['kick', 'ban', 'unban', 'lock', 'topic', 'clear', 'file']],
  ['Problems', ['rate_limit', 'bad_frame', 'slow_consumer', 'store']],
  ['Host', ['host']],
];

export function ActivityLog({ entries }: { entries: ActivityEntry[] }) {
  const [filter, setFilter] = useState('All');
  const [search, setSearch] = useState('');
  const [paused, setPaused] = useState(false);
  const list = useRef<HTMLOListElement>(null);
  const kinds = KINDS.find(([name]) => name === filter)?.[1] ?? [];
  const needle = search.trim().toLowerCase();
  const shown = entries.filter((e) => (kinds.length === 0 || kinds.includes(e.kind)) && (!needle || e.text.toLowerCase().includes(needle))).slice(-500);

  useEffect(() => {
    if (!paused && list.current) list.current.scrollTop = list.current.scrollHeight;
  }, [shown.length, paused, filter, search]);

  return (
    <div className="activity">
      <div className="activity-controls">
        <div className="segmented" role="group" aria-label="Show">
          {KINDS.map(([name]) => (
            <button key={name} type="button" className={filter === name ? 'on' : ''} aria-pressed={filter === name} onClick={() => setFilter(name)}>
              {name}
            </button>
          ))}
        </div>
        <input aria-label="Search activity" placeholder="Search" value={search} onChange={(e) => setSearch(e.target.value)} />
        <label className="check small">
          <input type="checkbox" checked={paused} onChange={(e) => setPaused(e.target.checked)} />
          <span>Pause scrolling</span>
        </label>
      </div>
      <ol ref={list} className="activity-list" aria-label="Activity log">
        {shown.map((e) => (
          <li key={e.id} className={`kind-${e.kind}`}>
            <time>{clockTime(e.ts)}</time>
            <span className="kind">{e.kind.replace('_', ' ')}</span>
            <span className="what" dir="auto">
              {e.text}
            </span>
          </li>
        ))}
        {shown.length === 0 && <li className="muted">Nothing to show.</li>}
      </ol>
    </div>
  );
}
