// Who is here. While the connection is away the list is the last one known, dimmed and
// dated ("as of 14:02"): on a LAN a host restart takes seconds, and a list that vanished
// and came back each time would flicker, while one that looked live would claim people
// the room may have lost. Out of the room (removed, banned, refused) nobody is listed.
import type { ConnectionState } from '../../../common/client.ts';
import type { Member } from '../../../common/protocol.ts';
import { clockTime } from '../chat/format.ts';
import type { TypingPerson } from '../chat/useRoom.ts';
import { Avatar } from '../ui/Avatar.tsx';

export function MembersPanel({
  members,
  me,
  typing,
  connection,
  lostAt,
}: {
  members: Member[];
  me: Member | undefined;
  typing: TypingPerson[];
  connection: ConnectionState;
  /** When the live connection went (undefined while connected). */
  lostAt: number | undefined;
}) {
  const typingIds = new Set(typing.map((t) => t.id));
  const sorted = [...members].sort((a, b) => (a.id === me?.id ? -1 : b.id === me?.id ? 1 : a.name.localeCompare(b.name)));
  const out = connection.status === 'closed';
  const stale = !out && connection.status !== 'connected' && lostAt !== undefined;
  return (
    <section className={`members${stale ? ' stale' : ''}`} aria-labelledby="members-title">
      <h2 id="members-title">
        People here {!out && <span className="count">{members.length}</span>}
      </h2>
      {out && <p className="members-note muted">You are not in this room.</p>}
      {stale && (
        <p id="members-note" className="members-note muted">
          Reconnecting… list as of {clockTime(lostAt)}
        </p>
      )}
      {!out && (
        <ul aria-label="Members" aria-describedby={stale ? 'members-note' : undefined}>
          {sorted.map((m) => (
            <li key={m.id}>
              <Avatar id={m.id} name={m.name} size={28} />
              <span className="member-name" dir="auto" title={m.name}>
                {m.name}
                {m.id === me?.id && <span className="muted"> (you)</span>}
              </span>
              {!stale && typingIds.has(m.id) && <span className="typing-dot">typing…</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
