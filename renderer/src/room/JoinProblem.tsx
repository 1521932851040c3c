// When a join is refused or you were removed: say why, and offer the way forward in place
// (another name, taking the room back from another tab, or leaving). A refused password
// is not here: the password dialog asks again over the room.
import { useState, type FormEvent } from 'react';
import type { ConnectionState } from '../../../common/client.ts';
import { closedTitle, REPLACED_EXPLAINED } from '../../../common/wording.ts';
import { CodeSpans } from '../ui/CodeSpans.tsx';

type Closed = Extract<ConnectionState, { status: 'closed' }>;

export function JoinProblem({
  state,
  name,
  backLabel,
  onRetry,
  onBack,
}: {
  state: Closed;
  name: string;
  /** "Back to rooms" in the app; "Leave" in a browser, which has no other rooms. */
  backLabel: string;
  onRetry(update: { name?: string }): void;
  onBack(): void;
}) {
  const needsName = state.code === 'name_taken' || state.code === 'name_invalid';
  const [value, setValue] = useState(needsName ? name : '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onRetry({ name: value });
  };
  const replaced = state.code === 'replaced';
  return (
    <div className="join-problem" role="alertdialog" aria-labelledby="problem-title" aria-describedby="problem-reason">
      <h2 id="problem-title">{closedTitle(state.code)}</h2>
      <p id="problem-reason" className={replaced ? 'muted' : 'form-error'}>
        {replaced ? REPLACED_EXPLAINED : <CodeSpans text={state.reason} />}
      </p>
      {needsName && (
        <form onSubmit={submit} className="inline">
          <input aria-label="Your name" type="text" value={value} autoFocus onChange={(e) => setValue(e.target.value)} />
          <button type="submit" className="primary" disabled={!value.trim()}>
            Try again
          </button>
        </form>
      )}
      {replaced && (
        // Only a click takes the room back: two tabs never pull it to and fro on their own.
        <button type="button" className="primary" onClick={() => onRetry({})}>
          Use here
        </button>
      )}
      <button type="button" className="ghost" onClick={onBack}>
        {backLabel}
      </button>
    </div>
  );
}
