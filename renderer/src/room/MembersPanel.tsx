import type { Member } from '../../../common/protocol.ts';
import type { TypingPerson } from '../chat/useRoom.ts';
import { Avatar } from '../ui/Avatar.tsx';

export function MembersPanel({ members, me, typing }: { members: Member[]; me: Member | undefined; typing: TypingPerson[] }) {
  const typingIds = new Set(typing.map((t) => t.id));
  const sorted = [...members].sort((a, b) => (a.id === me?.id ? -1 : b.id === me?.id ? 1 : a.name.localeCompare(b.name)));
  return (
    <section className="members" aria-labelledby="members-title">
      <h2 id="members-title">
        People here <span className="count">{members.length}</span>
      </h2>
      <ul aria-label="Members">
        {sorted.map((m) => (
          <li key={m.id}>
            <Avatar id={m.id} name={m.name} size={28} />
            <span className="member-name" dir="auto">
              {m.name}
              {m.id === me?.id && <span className="muted"> (you)</span>}
            </span>
            {typingIds.has(m.id) && <span className="typing-dot">typing…</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
