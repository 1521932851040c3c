// Who is banned, and the way back: name, address, reason, when and by whom, each with
// Unban. The room keeps bans in memory while it is open; a new room starts with none.
import type { DashboardBan, ModerationRequest } from '../../../common/ipc.ts';
import { clockTime } from '../chat/format.ts';

export function BanList({ bans, act }: { bans: DashboardBan[]; act(request: ModerationRequest): Promise<boolean> }) {
  return (
    <div className="mod-card">
      <h3 id="bans-title">Bans</h3>
      {bans.length === 0 ? (
        <p className="muted small">Nobody is banned. Bans last while this room is open.</p>
      ) : (
        <ul aria-labelledby="bans-title" className="ban-list">
          {bans.map((ban) => {
            const who = ban.name || ban.address || '';
            return (
              <li key={ban.userId ?? ban.address}>
                <span className="ban-who">
                  <strong dir="auto">{who}</strong>
                  {ban.name && ban.address && <code>{ban.address}</code>}
                </span>
                <span className="muted small">
                  {ban.reason && <>“{ban.reason}” · </>}
                  {clockTime(ban.at)} by {ban.by}
                </span>
                {/* By user id when there is one: it lifts the address the ban holds with it. */}
                <button type="button" className="ghost small" aria-label={`Unban ${who}`} onClick={() => void act({ action: 'unban', target: ban.userId ?? ban.address ?? '' })}>
                  Unban
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
