import { useEffect, useRef, useState, type FormEvent } from 'react';

export function PasswordDialog({
  room,
  error,
  onSubmit,
  onCancel,
}: {
  room: string;
  error?: string | undefined;
  onSubmit(password: string): void;
  onCancel(): void;
}) {
  const [password, setPassword] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password) onSubmit(password);
  };
  return (
    <div className="scrim" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <form className="dialog" role="dialog" aria-modal="true" aria-labelledby="password-title" onSubmit={submit}>
        <h2 id="password-title">“{room}” needs a password</h2>
        <p className="muted">Ask the host for it. It is never sent over the network, only a proof that you know it.</p>
        <label className="field">
          <span>Room password</span>
          <input
            ref={input}
            type="password"
            aria-label="Room password"
            value={password}
            autoComplete="off"
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'password-error' : undefined}
          />
        </label>
        {error && (
          <p className="form-error" id="password-error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" className="ghost" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!password}>
            Join room
          </button>
        </div>
      </form>
    </div>
  );
}
