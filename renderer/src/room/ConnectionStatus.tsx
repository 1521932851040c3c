// Always visible: connecting, connected, reconnecting (with the countdown), host gone, and
// a room that stopped because its host's identity changed (chat/identity-guard.ts).
import { useEffect, useState } from 'react';
import type { ConnectionState } from '../../../common/client.ts';
import { hostSeemsGone } from '../../../common/wording.ts';

export function ConnectionStatus({ state, identityChanged = false }: { state: ConnectionState; identityChanged?: boolean }) {
  const [now, setNow] = useState(Date.now());
  const [since] = useState(() => new Map<ConnectionState, number>());
  if (!since.has(state)) since.set(state, Date.now());
  useEffect(() => {
    if (state.status !== 'reconnecting') return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [state]);

  let tone = 'pending';
  let text = 'Connecting…';
  if (identityChanged) {
    tone = 'bad';
    text = 'Identity changed';
  } else if (state.status === 'connected') {
    tone = 'ok';
    text = 'Connected';
  } else if (state.status === 'reconnecting') {
    const left = Math.max(0, Math.ceil((since.get(state)! + state.retryInMs - now) / 1000));
    const gone = hostSeemsGone(state);
    tone = gone ? 'bad' : 'pending';
    text = `${gone ? 'Host gone' : 'Reconnecting'} — ${left > 0 ? `retrying in ${left} s` : 'retrying…'}`;
  } else if (state.status === 'closed') {
    tone = 'bad';
    text = state.code === 'left' ? 'Left the room' : 'Disconnected';
  }
  return (
    <div className={`connection tone-${tone}`} role="status" aria-label="Connection" aria-live="polite" title={text}>
      <span className="dot" aria-hidden="true" />
      <span className="label">{text}</span>
    </div>
  );
}
