// "Joined before": the rooms this shell remembers, to join again or forget.
import type { RecentRoom } from '../../../common/ipc.ts';

export function RecentRooms({ recent, nameBlocked, onPick, onForget }: { recent: RecentRoom[]; nameBlocked: boolean; onPick(room: RecentRoom): void; onForget(address: string): void }) {
  return (
    <div className="recent">
      <h3>Joined before</h3>
      <ul aria-label="Recent rooms">
        {recent.map((r) => (
          <li key={r.address} className="recent-row">
            <button type="button" className="row-button" disabled={nameBlocked} aria-describedby={nameBlocked ? 'name-error' : undefined} onClick={() => onPick(r)}>
              <span className="room-name">{r.room}</span>
              <span className="muted">{r.address}</span>
            </button>
            <button type="button" className="ghost small forget" aria-label={`Forget ${r.room}`} title={`Forget ${r.room}`} onClick={() => onForget(r.address)}>
              Forget
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
