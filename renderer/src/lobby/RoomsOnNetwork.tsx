// The rooms discovery found on the network, and a scan of the subnet for where multicast is
// filtered; each row says who hosts it, how many are in, and whether it needs a password.
import { useState } from 'react';
import type { Result, RoomListing, RoomsSnapshot } from '../../../common/ipc.ts';
import { describeScan } from '../../../common/scan-summary.ts';

export function RoomsOnNetwork({
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
