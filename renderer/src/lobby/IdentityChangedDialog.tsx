// Stops a join whose host presents another certificate than the one this app joined
// before, as SSH does: both identities side by side (the short form people read aloud, the
// full fingerprint one click away), what it may mean, and a deliberate way on. Cancel is the
// default and the first button: walking away is always safe; trusting needs a look at the
// host's own screen (the hosting panel, or what `hearth host` printed).
import { useEffect, useId, useRef } from 'react';
import { colonHex, shortFingerprint } from '../../../common/identity.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { FingerprintLines } from '../ui/HostIdentity.tsx';
import type { IdentityPrompt } from './join-attempt.ts';

export const TRUST_NEW_IDENTITY = "I checked the host's screen: trust the new identity";

export function IdentityChangedDialog({
  prompt,
  busy,
  error,
  onTrust,
  onCancel,
}: {
  prompt: IdentityPrompt;
  /** Trusting it (the shell checks the host still presents it, then pins it). */
  busy: boolean;
  /** Why it could not be trusted. */
  error: string | undefined;
  onTrust(): void;
  onCancel(): void;
}) {
  const cancel = useRef<HTMLButtonElement>(null);
  const errorId = useId();
  // Runs after the Dialog's own first focus (a parent's effects follow its children's): Cancel, not the first disclosure.
  useEffect(() => cancel.current?.focus(), []);
  return (
    <Dialog
      title="This host's identity has changed"
      className="identity-changed"
      onClose={onCancel}
      footer={
        <>
          <button ref={cancel} type="button" className="primary" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="danger-ghost" onClick={onTrust} disabled={busy} aria-describedby={error ? errorId : undefined}>
            {TRUST_NEW_IDENTITY}
          </button>
        </>
      }
    >
      <p>
        The host at <strong>{prompt.address.display}</strong> (“{prompt.roomName}”) is not the one you joined before.
      </p>
      <dl className="identity-pair">
        <IdentityRow label="Joined before" fingerprint={prompt.remembered} />
        <IdentityRow label="Now" fingerprint={prompt.presented} />
      </dl>
      <p className="muted">
        Someone on this network may be pretending to be this host, or the host made a new identity. Ask the host which identity their screen shows: trust the new one only if it
        matches “Now”.
      </p>
      {error && (
        <p className="form-error" id={errorId} role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}

function IdentityRow({ label, fingerprint }: { label: string; fingerprint: string }) {
  return (
    <div className="identity-row">
      <dt>{label}</dt>
      <dd>
        <code className="identity-short">{shortFingerprint(fingerprint)}</code>
        <details className="small">
          <summary aria-label={`Full fingerprint, ${label.toLowerCase()}`}>
            Full fingerprint
          </summary>
          <FingerprintLines className="identity-full" sha256={colonHex(fingerprint)} />
        </details>
      </dd>
    </div>
  );
}
