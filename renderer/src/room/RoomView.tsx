// A room: the conversation in the middle, people (and, for the host, where to join) on the
// side, the connection state always in the header. Below NARROW the side panel becomes a
// drawer that the header's "Members" button opens, so a phone keeps the members list and a
// host in a narrow window keeps the link, the QR code and Stop hosting.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { HostingInfo } from '../../../common/ipc.ts';
import type { ChatMessage, Member } from '../../../common/protocol.ts';
import { mentions } from '../chat/mentions.ts';
import { useRoom, type JoinTarget } from '../chat/useRoom.ts';
import { LinkedText } from '../ui/LinkedText.tsx';
import { Logo } from '../ui/Logo.tsx';
import { useMediaQuery } from '../ui/useMediaQuery.ts';
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
  const narrow = useMediaQuery(NARROW);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const drawerButton = useRef<HTMLButtonElement>(null);
  const drawerClose = useRef<HTMLButtonElement>(null);
  const drawer = narrow && drawerOpen;
  useEffect(() => {
    if (drawer) drawerClose.current?.focus();
  }, [drawer]);
  const closeDrawer = () => {
    setDrawerOpen(false);
    drawerButton.current?.focus();
  };
  const onDrawerKey = (event: KeyboardEvent<HTMLElement>) => {
    if (!drawer) return;
    if (event.key === 'Escape') {
      event.stopPropagation();
      closeDrawer();
    } else if (event.key === 'Tab') trapFocus(event);
  };

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
  // The host's own window connects over loopback; what others need is the shareable link.
  const where = isHost && hosting ? displayUrl(hosting.joinUrl) : target.address.display;
  return (
    <div className="room">
      <header className="room-header">
        <button type="button" className="ghost icon back-to-rooms" onClick={onLeave} aria-label="Back to rooms" title="Back to rooms">
          <Logo size={24} />
        </button>
        <div className="room-title">
          <h1 dir="auto" title={room.roomName}>
            {room.roomName}
          </h1>
          {room.topic ? (
            <span className="topic small" dir="auto" title={`Topic: ${room.topic}`}>
              <LinkedText text={room.topic} />
            </span>
          ) : (
            <span className="muted small address" title={where}>
              {where}
            </span>
          )}
        </div>
        <ConnectionStatus state={room.state} />
        {narrow && (
          <button
            ref={drawerButton}
            type="button"
            className="ghost members-button"
            aria-label="Members"
            title="Members"
            aria-haspopup="dialog"
            aria-expanded={drawerOpen}
            onClick={() => setDrawerOpen(true)}
          >
            <PeopleIcon />
            <span className="count" aria-hidden="true">
              {room.members.length}
            </span>
          </button>
        )}
        <button type="button" className="ghost leave" onClick={onLeave}>
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
      {drawer && <div className="drawer-scrim" onClick={closeDrawer} aria-hidden="true" />}
      <aside
        className={`sidebar${drawer ? ' drawer' : ''}`}
        onKeyDown={onDrawerKey}
        {...(drawer ? { role: 'dialog', 'aria-modal': true, 'aria-label': isHost ? 'Members and hosting' : 'Members' } : {})}
      >
        {drawer && (
          <div className="drawer-bar">
            <button ref={drawerClose} type="button" className="ghost small" onClick={closeDrawer}>
              Close
            </button>
          </div>
        )}
        {isHost && hosting && <HostingPanel info={hosting} onStop={onStopHosting} onDashboard={onOpenDashboard} />}
        <MembersPanel members={room.members} me={room.me} typing={room.typing} />
      </aside>
    </div>
  );
}

const NARROW = '(max-width: 760px)';

/** "http://192.168.1.7:5000/" → "192.168.1.7:5000": what a person reads out or types. */
function displayUrl(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/$/, '');
}

/** Keep Tab inside the open drawer: it is modal. */
function trapFocus(event: KeyboardEvent<HTMLElement>): void {
  const focusable = [...event.currentTarget.querySelectorAll<HTMLElement>('a[href], button:not(:disabled), input:not(:disabled), textarea, [tabindex]:not([tabindex="-1"])')];
  const first = focusable[0];
  const last = focusable.at(-1);
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

function PeopleIcon() {
  return (
    <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <circle cx="9" cy="8" r="3.5" />
      <path d="M2.5 20c0-3.6 2.9-6 6.5-6s6.5 2.4 6.5 6" />
      <path d="M16 4.8a3.3 3.3 0 0 1 0 6.4M18 14.3c2.1.7 3.5 2.6 3.5 5.7" />
    </svg>
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
