// When a join is refused or you were removed: say why, and offer the way forward in place
// (another name, the password, or back to the rooms).
import { useState, type FormEvent } from 'react';
import type { ConnectionState } from '../../../common/client.ts';
import { closedTitle } from '../chat/closed.ts';

type Closed = Extract<ConnectionState, { status: 'closed' }>;

export function JoinProblem({ state, name, onRetry, onBack }: { state: Closed; name: string; onRetry(update: { name?: string; password?: string }): void; onBack(): void }) {
  const [value, setValue] = useState(state.code === 'name_taken' || state.code === 'name_invalid' ? name : '');
  const needsName = state.code === 'name_taken' || state.code === 'name_invalid';
  const needsPassword = state.code === 'bad_password' || state.code === 'password_required';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onRetry(needsName ? { name: value } : { password: value });
  };
  const title = closedTitle(state.code);
  return (
    <div className="join-problem" role="alertdialog" aria-labelledby="problem-title" aria-describedby="problem-reason">
      <h2 id="problem-title">{title}</h2>
      <p id="problem-reason" className="form-error">
        {state.reason}
      </p>
      {(needsName || needsPassword) && (
        <form onSubmit={submit} className="inline">
          <input
            aria-label={needsName ? 'Your name' : 'Room password'}
            type={needsPassword ? 'password' : 'text'}
            value={value}
            autoFocus
            onChange={(e) => setValue(e.target.value)}
          />
          <button type="submit" className="primary" disabled={!value.trim()}>
            Try again
          </button>
        </form>
      )}
      <button type="button" className="ghost" onClick={onBack}>
        Back to rooms
      </button>
    </div>
  );
}
