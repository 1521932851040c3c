// The lobby in a browser served by a host: that one room (asked what it is as the page opens),
// your name, and Join. A room that takes only encrypted joins, opened on plain http, is said
// so at once: this page could never join it, so nobody types a name (or a password) in vain.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { RoomAddress } from '../../../common/address.ts';
import { probeRoom } from '../../../common/probe.ts';
import { ENCRYPTION_REQUIRED } from '../../../common/wording.ts';
import { CodeSpans } from '../ui/CodeSpans.tsx';
import { browserFetch } from './browser-fetch.ts';

export function WebJoin({
  address,
  busy,
  nameBlocked,
  error,
  again,
  onJoin,
  children,
}: {
  /** The room whose host served this page (AppBridge.servedAddress). */
  address: RoomAddress | undefined;
  busy: boolean;
  /** The name as typed cannot be used: Join waits, and says why (#name-error). */
  nameBlocked: boolean;
  error: string | undefined;
  /** This browser just left the room: the button says Join again. */
  again: boolean;
  onJoin(address: RoomAddress, name: string): void;
  children: ReactNode;
}) {
  const [room, setRoom] = useState<{ name: string; members: number; lock: boolean; closedToThisPage: boolean }>();
  const [probeError, setProbeError] = useState<string>();
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!address) return;
    void probeRoom(address, browserFetch).then((result) => {
      if (result.ok) {
        const { room: name, members, passwordRequired, encryptedOnly } = result.health;
        // This page's own WebSocket is plain (ws:) when the page came over http.
        setRoom({ name, members, lock: passwordRequired, closedToThisPage: encryptedOnly === true && address.wsUrl.startsWith('ws:') });
      }
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
      {room?.closedToThisPage && (
        <p className="form-error" role="alert">
          <CodeSpans text={ENCRYPTION_REQUIRED} />
        </p>
      )}
      {(probeError ?? error) && (
        <p className="form-error" role="alert">
          {probeError ?? error}
        </p>
      )}
      <button
        ref={button}
        type="button"
        className="primary"
        disabled={busy || nameBlocked || !room || room.closedToThisPage}
        aria-describedby={nameBlocked ? 'name-error' : undefined}
        onClick={() => onJoin(address, room?.name ?? address.display)}>
        {again ? 'Join again' : 'Join'}
      </button>
      <p className="muted small">You are joining from a browser. The Hearth app can also host rooms and find them on the network.</p>
    </section>
  );
}
