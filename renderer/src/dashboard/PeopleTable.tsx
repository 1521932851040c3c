// Who is here: sortable by any column; kick or ban from the row (with a reason they see),
// except on the host's own row: the room refuses that anyway.
import { useState } from 'react';
import type { DashboardPerson } from '../../../common/ipc.ts';
import { clockTime } from '../chat/format.ts';
import { Avatar } from '../ui/Avatar.tsx';
import { connectionWords, notEncryptedCountWords } from './connection.ts';

type Key = 'name' | 'address' | 'encrypted' | 'since' | 'messages' | 'lastActive' | 'rttMs';
const COLUMNS: Array<[Key, string]> = [
  ['name', 'Name'],
  ['address', 'Address'],
  ['encrypted', 'Connection'],
  ['since', 'Connected since'],
  ['messages', 'Messages'],
  ['lastActive', 'Last active'],
  ['rttMs', 'Round trip'],
];

export function PeopleTable({
  people,
  now,
  hostMemberId,
  onKick,
  onBan,
}: {
  people: DashboardPerson[];
  now: number;
  /** The hosting app's own member: no Kick or Ban on its row. */
  hostMemberId: string;
  onKick(name: string, reason: string): Promise<boolean>;
  onBan(name: string, reason: string): Promise<boolean>;
}) {
  const [sort, setSort] = useState<{ key: Key; up: boolean }>({ key: 'since', up: true });
  const [acting, setActing] = useState<{ name: string; kind: 'kick' | 'ban' }>();
  const [reason, setReason] = useState('');
  const sorted = [...people].sort((a, b) => {
    const x = a[sort.key] ?? -1;
    const y = b[sort.key] ?? -1;
    // Booleans (encrypted) sort as numbers: not encrypted first when ascending.
    const order = typeof x === 'string' ? x.localeCompare(String(y)) : Number(x) - Number(y);
    return sort.up ? order : -order;
  });
  if (people.length === 0) return <p className="empty">Nobody is here yet. Share the link above.</p>;
  return (
    <div className="table-wrap">
      <table className="people" aria-label="People">
        <thead>
          <tr>
            {COLUMNS.map(([key, label]) => (
              <th key={key} aria-sort={sort.key === key ? (sort.up ? 'ascending' : 'descending') : 'none'}>
                <button type="button" className="th-button" onClick={() => setSort((s) => ({ key, up: s.key === key ? !s.up : true }))}>
                  {label}
                  {sort.key === key ? (sort.up ? ' ▲' : ' ▼') : ''}
                </button>
              </th>
            ))}
            <th>State</th>
            <th>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((p) => (
            <tr key={p.id}>
              <td>
                <span className="person">
                  <Avatar id={p.id} name={p.name} size={24} />
                  <span dir="auto">{p.name}</span>
                </span>
              </td>
              <td>
                <code>{p.address}</code>
              </td>
              <td className={p.encrypted ? 'encrypted' : 'not-encrypted'}>{connectionWords(p.encrypted)}</td>
              <td>{clockTime(p.since)}</td>
              <td>{p.messages}</td>
              <td>{ago(now - p.lastActive)}</td>
              <td>{p.rttMs === null ? '—' : `${p.rttMs} ms`}</td>
              <td>{p.typing ? <span className="typing-dot">typing…</span> : now - p.lastActive > 120_000 ? <span className="muted">idle</span> : 'active'}</td>
              <td className="row-actions">
                {p.id === hostMemberId ? (
                  <span className="muted small">You (host)</span>
                ) : acting?.name === p.name ? (
                  <form
                    className="inline"
                    onSubmit={(e) => {
                      e.preventDefault();
                      const run = acting.kind === 'kick' ? onKick : onBan;
                      void run(p.name, reason.trim()).then(() => {
                        setActing(undefined);
                        setReason('');
                      });
                    }}
                  >
                    <input aria-label={`Reason to ${acting.kind} ${p.name}`} placeholder="Reason they will see" value={reason} autoFocus onChange={(e) => setReason(e.target.value)} />
                    <button type="submit" className="danger-ghost small">
                      {acting.kind === 'kick' ? 'Kick' : 'Ban'}
                    </button>
                    <button type="button" className="ghost small" onClick={() => setActing(undefined)}>
                      Cancel
                    </button>
                  </form>
                ) : (
                  <>
                    <button type="button" className="ghost small" aria-label={`Kick ${p.name}`} onClick={() => setActing({ name: p.name, kind: 'kick' })}>
                      Kick
                    </button>
                    <button type="button" className="ghost small" aria-label={`Ban ${p.name}`} onClick={() => setActing({ name: p.name, kind: 'ban' })}>
                      Ban
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Beside the people count in the panel's heading: how many joined without encryption (nothing when none). */
export function NotEncryptedCount({ people }: { people: DashboardPerson[] }) {
  const words = notEncryptedCountWords(people);
  return words === undefined ? null : <span className="not-encrypted-count">{words}</span>;
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}
