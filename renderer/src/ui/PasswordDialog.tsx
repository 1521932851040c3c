import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Dialog } from './Dialog.tsx';

/**
 * Asks for a room's password. `busy` while the host checks it: when the host says no, the
 * dialog is still there with the reason, and the field is empty and focused for another try
 * (a masked password cannot be corrected, only typed again).
 */
export function PasswordDialog({
  room,
  error,
  busy = false,
  initial = '',
  onSubmit,
  onCancel,
}: {
  room: string;
  error?: string | undefined;
  busy?: boolean;
  /** What was typed already (in the lobby's dialog, before the room took over the asking). */
  initial?: string | undefined;
  onSubmit(password: string): void;
  onCancel(): void;
}) {
  const [password, setPassword] = useState(initial);
  const input = useRef<HTMLInputElement>(null);
  const formId = useId();
  const errorId = useId();
  const wasBusy = useRef(busy);
  useEffect(() => {
    if (wasBusy.current && !busy && error) {
      setPassword('');
      input.current?.focus();
    }
    wasBusy.current = busy;
  }, [busy, error]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password && !busy) onSubmit(password);
  };
  return (
    <Dialog
      title={`“${room}” needs a password`}
      onClose={onCancel}
      footer={
        <>
          <button type="button" className="ghost" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" form={formId} className="primary" disabled={!password || busy}>
            {busy ? 'Joining…' : 'Join room'}
          </button>
        </>
      }
    >
      <p className="muted">Ask the host for it. It is never sent over the network, only a proof that you know it.</p>
      <form id={formId} onSubmit={submit}>
        <label className="field">
          <span>Room password</span>
          <input
            ref={input}
            type="password"
            aria-label="Room password"
            value={password}
            autoComplete="off"
            readOnly={busy}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
          />
        </label>
      </form>
      {error && (
        <p className="form-error" id={errorId} role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
