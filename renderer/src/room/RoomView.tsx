// A room: the conversation in the middle, people (and, for the host, where to join) on the
// side, the connection state always in the header. Below NARROW the side panel becomes a
// drawer that the header's "Members" button opens, so a phone keeps the members list and a
// host in a narrow window keeps the link, the QR code and Stop hosting.
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { ConnectionState } from '../../../common/client.ts';
import { shortLink } from '../../../common/invite.ts';
import type { HostingInfo } from '../../../common/ipc.ts';
import type { ChatMessage, Member } from '../../../common/protocol.ts';
import type { AppBridge } from '../bridge/index.ts';
import { asksForPassword, passwordRefusal } from '../chat/closed.ts';
import { parseCommand } from '../../../common/commands.ts';
import { useRoom, type JoinTarget } from '../chat/useRoom.ts';
import { useUploads } from '../files/useUploads.ts';
import { decideAlert, type AlertInput } from '../settings/alerts.ts';
import { announce } from '../settings/announce.ts';
import { keepTabInside } from '../ui/Dialog.tsx';
import { LinkedText } from '../ui/LinkedText.tsx';
import { Logo } from '../ui/Logo.tsx';
import { PasswordDialog } from '../ui/PasswordDialog.tsx';
import { useMediaQuery } from '../ui/useMediaQuery.ts';
import { Composer } from './Composer.tsx';
import { ConnectionStatus } from './ConnectionStatus.tsx';
import { HostingPanel, type HostingTools } from './HostingPanel.tsx';
import { SaveFileContext } from './DownloadLink.tsx';
import { IdentityChangedInRoom } from './IdentityChangedInRoom.tsx';
import { JoinProblem } from './JoinProblem.tsx';
import { MembersPanel } from './MembersPanel.tsx';
import { MessageList } from './MessageList.tsx';
import { PlainConnectionNotice } from './PlainConnectionNotice.tsx';
import { useFileDrop } from './useFileDrop.ts';
import './files.css';

export function RoomView({
  target,
  identity,
  hosting,
  focusSignal,
  bridge,
  onLeave,
  onRecheckIdentity,
  onStopHosting,
  onJoined,
  onIdentityChange,
  alerts,
  actions,
}: {
  target: JoinTarget;
  identity: { name: string; clientId: string };
  hosting: HostingInfo | null;
  focusSignal: number;
  /** A shell that joins only the room that served it (a browser) offers Leave, never "Back to rooms"; the hosting panel's tools. */
  bridge: Pick<AppBridge, 'canJoinAnyRoom' | 'pinsHosts' | 'checkIdentity' | 'download'> & HostingTools;
  /** `roomName` when you were in the room; undefined when you never got in (a password given up on). */
  onLeave(roomName?: string): void;
  /** The host's identity changed while in the room: back to the lobby, joining this address again there (its check shows both identities). */
  onRecheckIdentity(): void;
  onStopHosting(): void;
  onJoined(roomName: string): void;
  onIdentityChange(name: string): void;
  /** What this person wants to hear about, and whether this room is muted. */
  alerts: AlertInput['settings'] & { muted: boolean };
  /** The room's own buttons (Mute, Settings): in the header, or in the drawer on narrow screens. */
  actions: ReactNode;
}) {
  const [unread, setUnread] = useState(0);
  const [inRoom, setInRoom] = useState(false);
  // The password this join uses: set in the lobby's dialog, or in this room's after a refusal.
  const [password, setPassword] = useState(target.password);
  const onMessage = (message: ChatMessage, me: Member | undefined) => {
    const focused = document.hasFocus();
    if (me && message.from.id !== me.id && !focused) setUnread((n) => n + 1);
    announce(message, decideAlert({ message, me, focused, muted: alerts.muted, settings: alerts }));
  };
  const leave = () => onLeave(inRoom ? room.roomName : undefined);
  const room = useRoom(target, identity, { onMessage, onLeave: leave }, bridge.pinsHosts ? bridge.checkIdentity : undefined);
  const identityChanged = room.identityChanged !== undefined;
  const connected = room.state.status === 'connected';
  const uploads = useUploads({ files: room.files, connected, fileToken: room.fileToken, share: room.share, onShareOutcome: room.onShareOutcome });
  const [filesNotice, setFilesNotice] = useState<string>();
  const takesFiles = room.files !== undefined;
  const addFiles = uploads.add;
  const offerFiles = useCallback(
    (files: File[]) => {
      if (files.length === 0) return;
      if (takesFiles) return addFiles(files);
      setFilesNotice(NO_FILES_WORDS);
    },
    [takesFiles, addFiles],
  );
  useEffect(() => {
    if (!filesNotice) return;
    const timer = setTimeout(() => setFilesNotice(undefined), 6000);
    return () => clearTimeout(timer);
  }, [filesNotice]);
  const drop = useFileDrop(offerFiles);
  // "/msg NAME caption" with files in the tray shares them with NAME alone, as it does a message.
  const sendFiles = (caption: string) => {
    const command = caption.startsWith('/msg ') ? parseCommand(caption, room.members.map((m) => m.name)) : undefined;
    if (command?.kind === 'msg') uploads.send(command.text, command.to);
    else uploads.send(caption);
  };
  const narrow = useMediaQuery(NARROW);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const drawerButton = useRef<HTMLButtonElement>(null);
  const drawerClose = useRef<HTMLButtonElement>(null);
  const drawer = narrow && drawerOpen;
  // Focus moves once the page behind the drawer is no longer inert (an inert button cannot take it).
  const drawerWasOpen = useRef(false);
  useEffect(() => {
    if (drawer) drawerClose.current?.focus();
    else if (drawerWasOpen.current) drawerButton.current?.focus();
    drawerWasOpen.current = drawer;
  }, [drawer]);
  const closeDrawer = () => setDrawerOpen(false);
  const onDrawerKey = (event: KeyboardEvent<HTMLElement>) => {
    if (!drawer) return;
    if (event.key === 'Escape') {
      event.stopPropagation();
      closeDrawer();
    } else if (event.key === 'Tab') keepTabInside(event.currentTarget, event);
  };

  useEffect(() => {
    if (room.state.status !== 'connected' || inRoom) return;
    setInRoom(true);
    onJoined(room.roomName);
  }, [room.state.status, room.roomName, onJoined, inRoom]);

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
  // A password refusal is answered in the password dialog, over the room: the dialog from
  // the lobby seems to stay, saying what was wrong, until the host lets you in.
  const refused = asksForPassword(room.state) ? room.state : undefined;
  const checkingPassword = !inRoom && password !== undefined && (room.state.status === 'idle' || room.state.status === 'connecting');
  // Until the host lets you in, the room behind the dialog is joining, not an empty room you were dropped in.
  const awaitingPassword = !inRoom && (refused !== undefined || checkingPassword);
  const shownState: ConnectionState = awaitingPassword ? { status: 'connecting', attempt: 0 } : room.state;
  const isHost = hosting !== null && target.adminToken !== undefined;
  // Guests know the room is locked because they needed the password to get in.
  const locked = isHost ? hosting.passwordProtected : inRoom && password !== undefined;
  // The host's own window connects over loopback; what others need is the shareable link.
  const where = isHost ? displayUrl(shortLink(hosting.joinUrl)) : target.address.display;
  return (
    <div className="room">
      <header className="room-header" inert={drawer}>
        {!bridge.canJoinAnyRoom ? (
          <span className="room-mark">
            <Logo size={24} />
          </span>
        ) : (
          <button type="button" className="ghost icon back-to-rooms" onClick={leave} aria-label="Back to rooms" title="Back to rooms">
            <Logo size={24} />
          </button>
        )}
        <div className="room-title">
          <div className="room-name-line">
            <h1 dir="auto" title={room.roomName}>
              {room.roomName}
            </h1>
            {locked && <LockBadge />}
          </div>
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
        <ConnectionStatus state={shownState} identityChanged={identityChanged} />
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
            {/* A badge, not the button's label: drawn by CSS, so the name stays "Members" (WCAG 2.5.3 label in name). */}
            <span className="count" data-count={room.members.length} aria-hidden="true" />
          </button>
        )}
        {!narrow && <div className="room-actions">{actions}</div>}
        <button type="button" className="ghost leave" onClick={leave}>
          Leave
        </button>
      </header>
      <main className="conversation" inert={drawer} {...drop.handlers}>
        {drop.dragging && (
          <div className="drop-target" aria-hidden="true">
            <span>{takesFiles ? 'Drop to share' : NO_FILES_WORDS}</span>
          </div>
        )}
        {!room.encrypted && <PlainConnectionNotice key={target.address.wsUrl} wsUrl={target.address.wsUrl} />}
        {identityChanged ? (
          <IdentityChangedInRoom display={target.address.display} onCheck={onRecheckIdentity} onLeave={leave} />
        ) : awaitingPassword ? (
          <div className="joining muted">Joining “{room.roomName}”…</div>
        ) : closed && !refused ? (
          <JoinProblem
            state={closed}
            name={identity.name}
            backLabel={bridge.canJoinAnyRoom ? 'Back to rooms' : 'Leave'}
            onBack={leave}
            onRetry={(update) => {
              if (update.name !== undefined) onIdentityChange(update.name);
              room.retry(update);
            }}
          />
        ) : (
          <SaveFileContext.Provider value={bridge.download}>
            <MessageList timeline={room.timeline} me={room.me} files={room.files} onLoadOlder={room.loadOlder} />
          </SaveFileContext.Provider>
        )}
        <div className="typing-line" aria-live="polite">
          {typingText(room.typing.map((t) => t.name))}
        </div>
        <Composer
          disabled={closed !== undefined || identityChanged}
          isHost={isHost}
          // Once the password dialog lets you in, typing goes to the composer again.
          focusSignal={awaitingPassword ? focusSignal : focusSignal + 1}
          draftKey={target.address.wsUrl}
          placeholder={
            awaitingPassword
              ? 'Waiting for the password'
              : closed || identityChanged
                ? 'You are not in this room'
                : room.state.status === 'connected'
                  ? `Message ${room.roomName}`
                  : inRoom
                    ? 'Sends when reconnected'
                    : 'Sends once you are in'
          }
          onSubmit={room.submit}
          onTyping={room.setTyping}
          files={{ uploads, allowed: takesFiles, connected, offer: offerFiles, notice: filesNotice, send: sendFiles }}
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
            <div className="room-actions">{actions}</div>
            <button ref={drawerClose} type="button" className="ghost small" onClick={closeDrawer}>
              Close
            </button>
          </div>
        )}
        {isHost && (
          <HostingPanel info={hosting} others={room.members.filter((m) => m.id !== room.me?.id).length} onStop={onStopHosting} tools={bridge} />
        )}
        <MembersPanel members={room.members} me={room.me} typing={room.typing} connection={shownState} lostAt={room.lostAt} />
      </aside>
      {(refused !== undefined || checkingPassword) && (
        <PasswordDialog
          room={room.roomName}
          initial={password}
          busy={!refused}
          error={refused && passwordRefusal(refused)}
          onCancel={leave}
          onSubmit={(typed) => {
            setPassword(typed);
            room.retry({ password: typed });
          }}
        />
      )}
    </div>
  );
}

function LockBadge() {
  return (
    <span className="room-lock" role="img" aria-label="Password protected" title="Password protected">
      <svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round">
        <rect x="4.5" y="10.5" width="15" height="10" rx="2.5" />
        <path d="M8 10.5V7.5a4 4 0 0 1 8 0v3" />
      </svg>
    </span>
  );
}

const NARROW = '(max-width: 760px)';

const NO_FILES_WORDS = 'This room does not take files.';

/** "http://192.168.1.7:5000/" → "192.168.1.7:5000": what a person reads out or types. */
function displayUrl(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/$/, '');
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
