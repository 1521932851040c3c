// "Encrypted connections only", switched while the room is open. Turning it on disconnects
// whoever joined without encryption (browsers on the plain http link), so the host is asked
// first when anyone has; turning it off lets browsers join again.
import { useId, useState } from 'react';
import type { AppBridge } from '../bridge/index.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { EncryptedOnlyHint } from '../ui/EncryptedOnlyHint.tsx';
import { disconnectWarning, joinedPlain } from './encrypted-only.ts';
import { ENCRYPTED_ONLY_LABEL } from './sharing.ts';

export type EncryptedOnlyTools = Pick<AppBridge, 'setEncryptedOnly' | 'dashboard'>;

/** `on`: as the hosting info says now (the shell's host:changed brings the change back). */
export function EncryptedOnlySwitch({ on, tools }: { on: boolean; tools: EncryptedOnlyTools }) {
  const hintId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [asking, setAsking] = useState<number>();

  const apply = async (next: boolean) => {
    setAsking(undefined);
    setBusy(true);
    const result = await tools.setEncryptedOnly(next);
    setBusy(false);
    setError(result.ok ? undefined : result.error);
  };

  const turnOn = async () => {
    setBusy(true);
    const people = await tools.dashboard();
    setBusy(false);
    // Not knowing who is here is no reason to disconnect them unasked.
    const plain = people.ok ? joinedPlain(people.value?.snapshot.people ?? []) : undefined;
    if (plain === 0) return apply(true);
    setAsking(plain ?? -1);
  };

  return (
    <div className="check-with-hint encrypted-only-switch">
      <label className="check">
        <input
          type="checkbox"
          checked={on}
          disabled={busy}
          aria-describedby={hintId}
          onChange={(e) => void (e.target.checked ? turnOn() : apply(false))}
        />
        <span>{ENCRYPTED_ONLY_LABEL}</span>
      </label>
      <EncryptedOnlyHint id={hintId} />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {asking !== undefined && (
        <Dialog
          title="Encrypted connections only?"
          onClose={() => setAsking(undefined)}
          footer={
            <>
              <button type="button" className="ghost" onClick={() => setAsking(undefined)}>
                Cancel
              </button>
              <button type="button" className="danger" onClick={() => void apply(true)}>
                Disconnect and turn on
              </button>
            </>
          }
        >
          <p>{asking >= 0 ? disconnectWarning(asking) : 'Anyone who joined without encryption (in a browser) will be disconnected.'}</p>
          <p className="muted">
            They can join again from the Hearth app, or with <code>hearth join</code>.
          </p>
        </Dialog>
      )}
    </div>
  );
}
