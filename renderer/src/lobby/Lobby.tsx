// The start screen: who you are, host a room, the rooms on your network, join by address,
// and the rooms you joined before. In a browser it is just "your name" and "Join".
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { parseAddress, type RoomAddress } from '../../../common/address.ts';
import { parseInvite, shortLink, type Invite } from '../../../common/invite.ts';
import type { HostingInfo, RecentRoom, Result, RoomListing, RoomsSnapshot } from '../../../common/ipc.ts';
import { probeRoom, type FetchLike } from '../../../common/probe.ts';
import { reachRoom } from '../../../common/reach.ts';
import { describeScan } from '../../../common/scan-summary.ts';
import type { AppBridge } from '../bridge/index.ts';
import { Logo } from '../ui/Logo.tsx';
import { PasswordDialog } from '../ui/PasswordDialog.tsx';
import { StopHostingDialog } from '../ui/StopHostingDialog.tsx';
import { nameProblem } from './name.ts';

/** The page's own fetch, as probeRoom and reachRoom take it. */
const browserFetch: FetchLike = (url, init) => fetch(url, init as RequestInit);

export interface JoinRequest {
  address: RoomAddress;
  roomName: string;
  password?: string | undefined;
}

interface LobbyProps {
  bridge: AppBridge;
  name: string;
  /** Keep the name: why it could not be kept, or undefined. */
  onNameChange(name: string): Promise<string | undefined>;
  hosting: HostingInfo | null;
  rooms: RoomsSnapshot;
  recent: RecentRoom[];
  notice: string | undefined;
  /** The room a browser just left: its Join button reads "Join again". */
  left?: string | undefined;
  onJoin(request: JoinRequest): void;
  onHost(room: string, password: string | undefined): Promise<string | undefined>;
  onOpenHostedRoom(): void;
  onStopHosting(): void;
  /** Drop a room from "Joined before" (by its address). */
  onForgetRoom(address: string): void;
  /** Opens Settings (theme, notifications, sound). */
  settingsButton: ReactNode;
}

type PasswordPrompt = { address: RoomAddress; roomName: string; error?: string };

export function Lobby(props: LobbyProps) {
  const { bridge } = props;
  const [joinError, setJoinError] = useState<string>();
  const [prompt, setPrompt] = useState<PasswordPrompt>();
  const [busy, setBusy] = useState(false);
  // The name as typed: checked as it is typed, kept before any join, never swapped for another.
  const [nameDraft, setNameDraft] = useState(props.name);
  useEffect(() => setNameDraft(props.name), [props.name]);
  // Why the shell could not keep this very draft (the rules themselves are checked as it is typed).
  const [saveError, setSaveError] = useState<{ draft: string; error: string }>();
  const typedProblem = nameProblem(nameDraft);
  const nameError = typedProblem ?? (saveError?.draft === nameDraft ? saveError.error : undefined);
  const nameBlocked = typedProblem !== undefined;
  /** Keep the name as typed (before joining or hosting with it); false when it cannot be. */
  const commitName = async (): Promise<boolean> => {
    if (nameBlocked) return false;
    if (nameDraft === props.name) return true;
    const error = await props.onNameChange(nameDraft);
    setSaveError(error === undefined ? undefined : { draft: nameDraft, error });
    return error === undefined;
  };
  const nameField = <NameField value={nameDraft} error={nameError} onChange={setNameDraft} onCommit={() => void commitName()} />;

  /**
   * Ask the address (or each of an invite link's, common/reach.ts) what it is before joining:
   * clear errors, and whether it needs a password. The room's header then shows the address that
   * worked (unless the room has a topic).
   */
  const attempt = async (target: RoomAddress | Invite, fallbackName: string, password?: string) => {
    if (!(await commitName())) return;
    setJoinError(undefined);
    setBusy(true);
    const reached = await reachRoom('candidates' in target ? target : { candidates: [target] }, browserFetch);
    setBusy(false);
    if (!reached.ok) return setJoinError(reached.reason);
    const { address, health } = reached;
    const roomName = health.room || fallbackName;
    if (health.passwordRequired && !password) return setPrompt({ address, roomName });
    setPrompt(undefined);
    props.onJoin({ address, roomName, password });
  };

  return (
    <div className="lobby">
      <header className="lobby-header">
        <div className="brand">
          <Logo size={36} />
          <div>
            <h1>Hearth</h1>
            <p className="muted">Chat with the people on your network.</p>
          </div>
        </div>
        {bridge.kind === 'desktop' && nameField}
        {props.settingsButton}
      </header>

      {props.notice && (
        <p className="notice" role="alert">
          {props.notice}
        </p>
      )}

      {bridge.kind === 'web' ? (
        <WebJoin bridge={bridge} busy={busy} nameBlocked={nameBlocked} error={joinError} again={props.left !== undefined} onJoin={(address, name) => void attempt(address, name)}>
          {nameField}
        </WebJoin>
      ) : (
        <div className="lobby-grid">
          <section className="card" aria-labelledby="host-title">
            {props.hosting ? (
              <HostingSummary info={props.hosting} onOpen={props.onOpenHostedRoom} onStop={props.onStopHosting} />
            ) : (
              <HostForm nameBlocked={nameBlocked} onHost={async (room, password) => ((await commitName()) ? props.onHost(room, password) : undefined)} />
            )}
          </section>
          <section className="card join-card" aria-labelledby="join-title">
            <h2 id="join-title">Join a room</h2>
            <RoomsOnNetwork
              snapshot={props.rooms}
              nameBlocked={nameBlocked}
              onRefresh={bridge.refreshRooms}
              onScan={bridge.scanRooms}
              onPick={(room) => {
                const parsed = parseAddress(`${room.address}:${room.port}`);
                if (parsed.ok) void attempt(parsed.address, room.room);
              }}
            />
            <AddressForm
              busy={busy}
              nameBlocked={nameBlocked}
              error={joinError}
              onEdit={() => setJoinError(undefined)}
              onSubmit={(invite) => void attempt(invite, invite.candidates[0]!.display)}
            />
            {props.recent.length > 0 && (
              <div className="recent">
                <h3>Joined before</h3>
                <ul aria-label="Recent rooms">
                  {props.recent.map((r) => (
                    <li key={r.address} className="recent-row">
                      <button
                        type="button"
                        className="row-button"
                        disabled={nameBlocked}
                        aria-describedby={nameBlocked ? 'name-error' : undefined}
                        onClick={() => {
                          const parsed = parseAddress(r.address);
                          if (parsed.ok) void attempt(parsed.address, r.room);
                        }}
                      >
                        <span className="room-name">{r.room}</span>
                        <span className="muted">{r.address}</span>
                      </button>
                      <button type="button" className="ghost small forget" aria-label={`Forget ${r.room}`} title={`Forget ${r.room}`} onClick={() => props.onForgetRoom(r.address)}>
                        Forget
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </section>
        </div>
      )}

      {prompt && (
        <PasswordDialog
          room={prompt.roomName}
          error={prompt.error}
          busy={busy}
          onCancel={() => setPrompt(undefined)}
          onSubmit={(password) => void attempt(prompt.address, prompt.roomName, password)}
        />
      )}
    </div>
  );
}

/** The name as typed; kept (onCommit) on Enter and when the field is left. */
function NameField({ value, error, onChange, onCommit }: { value: string; error: string | undefined; onChange(name: string): void; onCommit(): void }) {
  return (
    <label className="field name-field">
      <span>Your name</span>
      <input
        aria-label="Your name"
        value={value}
        maxLength={64}
        placeholder="Leave empty for a friendly one"
        onChange={(e) => onChange(e.target.value)}
        onBlur={onCommit}
        onKeyDown={(e) => e.key === 'Enter' && onCommit()}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'name-error' : undefined}
      />
      {error && (
        <span className="form-error" id="name-error" role="alert">
          {error}
        </span>
      )}
    </label>
  );
}

function HostForm({ nameBlocked, onHost }: { nameBlocked: boolean; onHost(room: string, password: string | undefined): Promise<string | undefined> }) {
  const [room, setRoom] = useState('');
  const [password, setPassword] = useState('');
  const [usePassword, setUsePassword] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(await onHost(room, usePassword ? password : undefined));
    setBusy(false);
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="host-form">
      <h2 id="host-title">Host a room</h2>
      <p className="muted">Your computer runs the room. Everyone on the network can find it and join, from the app or a browser.</p>
      <label className="field">
        <span>Room name</span>
        <input aria-label="Room name" value={room} maxLength={64} placeholder="Kitchen, Class 4B, LAN party…" onChange={(e) => setRoom(e.target.value)} />
      </label>
      <label className="check">
        <input type="checkbox" checked={usePassword} onChange={(e) => setUsePassword(e.target.checked)} />
        <span>Needs a password</span>
      </label>
      {usePassword && (
        <label className="field">
          <span>Password</span>
          <input type="password" aria-label="Password" value={password} autoComplete="new-password" onChange={(e) => setPassword(e.target.value)} />
        </label>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button
        type="submit"
        className="primary"
        disabled={busy || nameBlocked || room.trim() === '' || (usePassword && !password)}
        aria-describedby={nameBlocked ? 'name-error' : undefined}
      >
        {busy ? 'Opening…' : 'Host a room'}
      </button>
    </form>
  );
}

function HostingSummary({ info, onOpen, onStop }: { info: HostingInfo; onOpen(): void; onStop(): void }) {
  // The host is not in its room from here: everyone the room counts will be disconnected.
  const [confirm, setConfirm] = useState<{ others: number | undefined }>();
  const askFirst = async () => {
    const local = parseAddress(info.localUrl);
    const probe = local.ok ? await probeRoom(local.address, browserFetch) : undefined;
    setConfirm({ others: probe?.ok ? probe.health.members : undefined });
  };
  return (
    <div className="hosting-summary">
      <h2 id="host-title">You are hosting “{info.room}”</h2>
      <p className="muted">
        Others join at <strong>{shortLink(info.joinUrl)}</strong>
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={onOpen}>
          Open the room
        </button>
        <button type="button" className="danger-ghost" onClick={() => void askFirst()}>
          Stop hosting
        </button>
      </div>
      {confirm && <StopHostingDialog room={info.room} others={confirm.others} onCancel={() => setConfirm(undefined)} onStop={onStop} />}
    </div>
  );
}

function RoomsOnNetwork({
  snapshot,
  nameBlocked,
  onRefresh,
  onScan,
  onPick,
}: {
  snapshot: RoomsSnapshot;
  nameBlocked: boolean;
  onRefresh(): void;
  /** Where multicast is filtered, ask every address of the subnet (its progress comes in the snapshot). */
  onScan(): Promise<Result<unknown>>;
  onPick(room: RoomListing): void;
}) {
  const { rooms, discovery, scan } = snapshot;
  const [scanError, setScanError] = useState<string>();
  const scanning = scan?.state === 'scanning';
  const startScan = async () => {
    setScanError(undefined);
    const result = await onScan();
    if (!result.ok) setScanError(result.error);
  };
  const scanSentence = scanError ?? (scan && describeScan(scan));
  return (
    <div className="network-rooms">
      <div className="section-title">
        <h3 id="rooms-title">Rooms on your network</h3>
        <div className="section-actions">
          <button type="button" className="ghost small" onClick={onRefresh} disabled={discovery.state === 'off'}>
            Refresh
          </button>
          <button type="button" className="ghost small" onClick={() => void startScan()} disabled={discovery.state === 'off' || scanning} aria-describedby={scanSentence ? 'scan-status' : undefined}>
            Scan this network
          </button>
        </div>
      </div>
      <ul aria-labelledby="rooms-title" className="room-list">
        {rooms.map((room) => (
          <li key={room.id}>
            {/* The label holds the visible text in its order (then the lock), so speech input can say what it sees. */}
            <button type="button" className="row-button room-row" onClick={() => onPick(room)} disabled={!room.compatible || nameBlocked} aria-describedby={nameBlocked ? 'name-error' : undefined} aria-label={`${room.room}, ${room.users} ${room.users === 1 ? 'person' : 'people'}, ${room.host}${room.note ? `, ${room.note}` : ''}${room.lock ? ', needs a password' : ''}`}>
              <span className="room-name">
                {room.room}
                {room.lock && <span className="lock" title="Needs a password">🔒</span>}
              </span>{' '}
              <span className="muted">
                {room.users} {room.users === 1 ? 'person' : 'people'} · {room.host}
              </span>
              {room.note && <span className="badge warning">{room.note}</span>}
            </button>
          </li>
        ))}
      </ul>
      {rooms.length === 0 && (
        <p className={`empty ${discovery.state === 'unavailable' ? 'warning-text' : ''}`} role="status">
          {discovery.state === 'active' || discovery.state === 'starting' ? 'No rooms yet. Rooms appear here as soon as someone hosts one.' : discovery.detail}
        </p>
      )}
      {scanSentence && (
        <p id="scan-status" className={`scan-status ${scanError ? 'form-error' : 'muted'}`} role="status">
          {scanSentence}
        </p>
      )}
    </div>
  );
}

/** `error`: what the host (or its absence) said about the last address; both it and a typing problem go once the address is edited. */
function AddressForm({
  busy,
  nameBlocked,
  error,
  onEdit,
  onSubmit,
}: {
  busy: boolean;
  nameBlocked: boolean;
  error: string | undefined;
  onEdit(): void;
  /** An address, or an invite link with several. */
  onSubmit(invite: Invite): void;
}) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseInvite(text);
    if (!parsed.ok) return setProblem(parsed.reason);
    setProblem(undefined);
    onSubmit(parsed.invite);
  };
  const shown = problem ?? error;
  return (
    <form className="address-form" onSubmit={submit}>
      <h3>Join by address</h3>
      <div className="inline">
        <input
          aria-label="Room address"
          placeholder="192.168.1.7:47800"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setProblem(undefined);
            onEdit();
          }}
          aria-invalid={shown ? true : undefined}
          aria-describedby={shown ? 'address-error' : undefined}
        />
        <button type="submit" className="primary" disabled={busy || nameBlocked || text.trim() === ''} aria-describedby={nameBlocked ? 'name-error' : undefined}>
          {busy ? 'Checking…' : 'Join'}
        </button>
      </div>
      {shown && (
        <p className="form-error" id="address-error" role="alert">
          {shown}
        </p>
      )}
    </form>
  );
}

function WebJoin({
  bridge,
  busy,
  nameBlocked,
  error,
  again,
  onJoin,
  children,
}: {
  bridge: AppBridge;
  busy: boolean;
  /** The name as typed cannot be used: Join waits, and says why (#name-error). */
  nameBlocked: boolean;
  error: string | undefined;
  /** This browser just left the room: the button says Join again. */
  again: boolean;
  onJoin(address: RoomAddress, name: string): void;
  children: ReactNode;
}) {
  const [room, setRoom] = useState<{ name: string; members: number; lock: boolean }>();
  const [probeError, setProbeError] = useState<string>();
  const button = useRef<HTMLButtonElement>(null);
  const address = bridge.servedAddress;
  useEffect(() => {
    if (!address) return;
    void probeRoom(address, browserFetch).then((result) => {
      if (result.ok) setRoom({ name: result.health.room, members: result.health.members, lock: result.health.passwordRequired });
      else setProbeError(result.reason);
    });
  }, [address]);
  if (!address) return <p className="form-error">This page was not served by a Hearth room.</p>;
  return (
    <section className="card web-join" aria-labelledby="join-title">
      <h2 id="join-title">{room ? `Join “${room.name}”` : 'Join the room'}</h2>
      {room && (
        <p className="muted">
          {room.members === 0 ? 'Nobody is here yet.' : `${room.members} ${room.members === 1 ? 'person is' : 'people are'} here.`} {room.lock && 'You will need the password.'}
        </p>
      )}
      {children}
      {(probeError ?? error) && (
        <p className="form-error" role="alert">
          {probeError ?? error}
        </p>
      )}
      <button
        ref={button}
        type="button"
        className="primary"
        disabled={busy || nameBlocked || !room}
        aria-describedby={nameBlocked ? 'name-error' : undefined}
        onClick={() => onJoin(address, room?.name ?? address.display)}>
        {again ? 'Join again' : 'Join'}
      </button>
      <p className="muted small">You are joining from a browser. The Hearth app can also host rooms and find them on the network.</p>
    </section>
  );
}
