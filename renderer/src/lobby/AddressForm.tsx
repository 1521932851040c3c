// "Join by address": an address or an invite link, checked as typed before anyone is asked.
import { useState, type FormEvent } from 'react';
import { parseInvite, type Invite } from '../../../common/invite.ts';

/** `error`: what the host (or its absence) said about the last address; both it and a typing problem go once the address is edited. */
export function AddressForm({
  busy,
  nameBlocked,
  error,
  onEdit,
  onSubmit,
}: {
  busy: boolean;
  nameBlocked: boolean;
  error: string | undefined;
  onEdit(): void;
  /** An address, or an invite link with several. */
  onSubmit(invite: Invite): void;
}) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseInvite(text);
    if (!parsed.ok) return setProblem(parsed.reason);
    setProblem(undefined);
    onSubmit(parsed.invite);
  };
  const shown = problem ?? error;
  return (
    <form className="address-form" onSubmit={submit}>
      <h3>Join by address</h3>
      <div className="inline">
        <input
          aria-label="Room address"
          placeholder="192.168.1.7:47800"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setProblem(undefined);
            onEdit();
          }}
          aria-invalid={shown ? true : undefined}
          aria-describedby={shown ? 'address-error' : undefined}
        />
        <button type="submit" className="primary" disabled={busy || nameBlocked || text.trim() === ''} aria-describedby={nameBlocked ? 'name-error' : undefined}>
          {busy ? 'Checking…' : 'Join'}
        </button>
      </div>
      {shown && (
        <p className="form-error" id="address-error" role="alert">
          {shown}
        </p>
      )}
    </form>
  );
}
