// "Host a room": a room name and, if wanted, a password, and whether the room takes only
// encrypted connections (browsers on the plain http link are then refused: the app and
// `hearth join` always encrypt). Hosting waits for a name that can be used.
import { useId, useState, type FormEvent } from 'react';
import { MAX_ROOM_NAME_CHARS } from '../../../common/room-name.ts';
import { EncryptedOnlyHint } from '../ui/EncryptedOnlyHint.tsx';

// maxLength counts UTF-16 units and the rule counts characters: twice as many units lets
// 64 emoji through, and the rule (common/room-name.ts) refuses a name that is still too long.
const ROOM_NAME_MAX_UNITS = MAX_ROOM_NAME_CHARS * 2;

/** What the form asks the shell to host. */
export interface HostRequest {
  room: string;
  password: string | undefined;
  encryptedOnly: boolean;
}

/** `onHost`: why the room could not be opened, or undefined. */
export function HostForm({ nameBlocked, onHost }: { nameBlocked: boolean; onHost(request: HostRequest): Promise<string | undefined> }) {
  const [room, setRoom] = useState('');
  const [password, setPassword] = useState('');
  const [usePassword, setUsePassword] = useState(false);
  const [encryptedOnly, setEncryptedOnly] = useState(false);
  const hintId = useId();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(await onHost({ room, password: usePassword ? password : undefined, encryptedOnly }));
    setBusy(false);
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="host-form">
      <h2 id="host-title">Host a room</h2>
      <p className="muted">Your computer runs the room. Everyone on the network can find it and join, from the app or a browser.</p>
      <label className="field">
        <span>Room name</span>
        <input aria-label="Room name" value={room} maxLength={ROOM_NAME_MAX_UNITS} placeholder="Kitchen, Class 4B, LAN party…" onChange={(e) => setRoom(e.target.value)} />
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
      <div className="check-with-hint">
        <label className="check">
          <input type="checkbox" checked={encryptedOnly} aria-describedby={hintId} onChange={(e) => setEncryptedOnly(e.target.checked)} />
          <span>Encrypted connections only</span>
        </label>
        <EncryptedOnlyHint id={hintId} />
      </div>
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
