// "Host a room": a room name and, if wanted, a password. Hosting waits for a name that can be used.
import { useState, type FormEvent } from 'react';
import { MAX_ROOM_NAME_CHARS } from '../../../common/room-name.ts';

// maxLength counts UTF-16 units and the rule counts characters: twice as many units lets
// 64 emoji through, and the rule (common/room-name.ts) refuses a name that is still too long.
const ROOM_NAME_MAX_UNITS = MAX_ROOM_NAME_CHARS * 2;

export function HostForm({ nameBlocked, onHost }: { nameBlocked: boolean; onHost(room: string, password: string | undefined): Promise<string | undefined> }) {
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
