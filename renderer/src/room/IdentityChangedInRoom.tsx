// In a room whose host now presents another certificate than the one it was joined with
// (chat/identity-guard.ts stopped the reconnect): say so, instead of "Reconnecting…" for
// ever, and lead to the lobby's check, where both identities are shown side by side
// (lobby/IdentityChangedDialog.tsx) and the new one may be trusted after a look at the
// host's screen.
import { useEffect, useRef } from 'react';
import { IDENTITY_CHANGED_IN_ROOM } from '../chat/identity-guard.ts';

/** `onCheck`: back to the lobby, joining this address again (its identity check shows both); `onLeave`: just the lobby. */
export function IdentityChangedInRoom({ display, onCheck, onLeave }: { display: string; onCheck(): void; onLeave(): void }) {
  const check = useRef<HTMLButtonElement>(null);
  // The room just stopped under the person's hands: the way on takes the focus.
  useEffect(() => check.current?.focus(), []);
  return (
    <div className="join-problem" role="alertdialog" aria-labelledby="identity-changed-title" aria-describedby="identity-changed-reason">
      <h2 id="identity-changed-title">{IDENTITY_CHANGED_IN_ROOM.title}</h2>
      <p id="identity-changed-reason" className="form-error">
        {IDENTITY_CHANGED_IN_ROOM.advice}
      </p>
      <p className="muted small">
        The host at <strong>{display}</strong> now presents another identity than the one you joined. Hearth stopped reconnecting and sent it nothing.
      </p>
      <button ref={check} type="button" className="primary" onClick={onCheck}>
        Check identity
      </button>
      <button type="button" className="ghost" onClick={onLeave}>
        Leave
      </button>
    </div>
  );
}
