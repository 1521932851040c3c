// A room: the conversation in the middle, people (and, for the host, where to join) on the
// side, the connection state always in the header.
import { useEffect, useRef, useState } from 'react';
import type { HostingInfo } from '../../../common/ipc.ts';
import type { ChatMessage, Member } from '../../../common/protocol.ts';
import { mentions } from '../chat/mentions.ts';
import { useRoom, type JoinTarget } from '../chat/useRoom.ts';
import { Logo } from '../ui/Logo.tsx';
import { Composer } from './Composer.tsx';
import { ConnectionStatus } from './ConnectionStatus.tsx';
import { HostingPanel } from './HostingPanel.tsx';
import { JoinProblem } from './JoinProblem.tsx';
import { MembersPanel } from './MembersPanel.tsx';
import { MessageList } from './MessageList.tsx';

export function RoomView({
  target,
  identity,
  hosting,
  focusSignal,
  onLeave,
  onStopHosting,
  onJoined,
  onIdentityChange,
  onOpenDashboard,
}: {
  target: JoinTarget;
  identity: { name: string; clientId: string };
  hosting: HostingInfo | null;
  focusSignal: number;
  onLeave(): void;
  onStopHosting(): void;
  onJoined(roomName: string): void;
  onIdentityChange(name: string): void;
  onOpenDashboard(): void;
}) {
  const [unread, setUnread] = useState(0);
  const joined = useRef(false);
  const onMessage = (message: ChatMessage, me: Member | undefined) => {
    if (!me || message.from.id === me.id || document.hasFocus()) return;
    setUnread((n) => n + 1);
    if (message.to || mentions(message.text, me.name)) notify(message);
  };
  const room = useRoom(target, identity, { onMessage, onLeave });

  useEffect(() => {
    if (room.state.status !== 'connected' || joined.current) return;
    joined.current = true;
    onJoined(room.roomName);
    if ('Notification' in window && Notification.permission === 'default') void Notification.requestPermission().catch(() => {});
  }, [room.state.status, room.roomName, onJoined]);

  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) ${room.roomName} — Hearth` : `${room.roomName} — Hearth`;
  }, [unread, room.roomName]);
  useEffect(() => {
    const clear = () => setUnread(0);
    window.addEventListener('focus', clear);
    return () => {
      window.removeEventListener('focus', clear);
      document.title = 'Hearth';
    };
  }, []);

  const closed = room.state.status === 'closed' && room.state.code !== 'left' ? room.state : undefined;
  const isHost = hosting !== null && target.adminToken !== undefined;
  return (
    <div className="room">
      <header className="room-header">
        <button type="button" className="ghost icon" onClick={onLeave} aria-label="Back to rooms" title="Back to rooms">
          <Logo size={24} />
        </button>
        <div className="room-title">
          <h1 dir="auto">{room.roomName}</h1>
          {room.topic ? (
            <span className="topic small" dir="auto" title="Topic">
              {room.topic}
            </span>
          ) : (
            <span className="muted small">{target.address.display}</span>
          )}
        </div>
        <ConnectionStatus state={room.state} />
        <button type="button" className="ghost" onClick={onLeave}>
          Leave
        </button>
      </header>
      <main className="conversation">
        {closed ? (
          <JoinProblem
            state={closed}
            name={identity.name}
            onBack={onLeave}
            onRetry={(update) => {
              if (update.name !== undefined) onIdentityChange(update.name);
              room.retry(update);
            }}
          />
        ) : (
          <MessageList timeline={room.timeline} me={room.me} onLoadOlder={room.loadOlder} />
        )}
        <div className="typing-line" aria-live="polite">
          {typingText(room.typing.map((t) => t.name))}
        </div>
        <Composer
          disabled={closed !== undefined}
          isHost={isHost}
          focusSignal={focusSignal}
          placeholder={
            closed
              ? 'You are not in this room'
              : room.state.status === 'connected'
                ? `Message ${room.roomName}`
                : 'Messages you write now are sent when the connection is back'
          }
          onSubmit={room.submit}
          onTyping={room.setTyping}
        />
      </main>
      <aside className="sidebar">
        {isHost && hosting && <HostingPanel info={hosting} onStop={onStopHosting} onDashboard={onOpenDashboard} />}
        <MembersPanel members={room.members} me={room.me} typing={room.typing} />
      </aside>
    </div>
  );
}

function typingText(names: string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'Several people are typing…';
}

function notify(message: ChatMessage): void {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  try {
    const n = new Notification(message.to ? `${message.from.name} (private)` : message.from.name, { body: message.text.slice(0, 200), silent: false });
    n.onclick = () => window.focus();
  } catch {
    // Some shells refuse notifications; the unread count in the title still shows it.
  }
}
