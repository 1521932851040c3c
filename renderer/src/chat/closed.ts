// A room you are not in (any more), in words: the heading, and why a password was refused
// (a refused password is asked again in the password dialog, never under a heading).
import type { ConnectionState } from '../../../common/client.ts';

type Closed = Extract<ConnectionState, { status: 'closed' }>;
type ClosedCode = Closed['code'];

export function closedTitle(code: ClosedCode): string {
  switch (code) {
    case 'name_taken':
    case 'name_invalid':
      return 'Pick another name';
    case 'banned':
      return 'You were banned';
    case 'kicked':
      return 'You were removed';
    case 'replaced':
      // The same person joined again elsewhere: in a browser, that is another tab.
      return 'Hearth is open in another tab';
    default:
      return 'You are not in the room';
  }
}

/** Refusals answered by asking for the password again, in the password dialog. */
export function asksForPassword(state: ConnectionState): state is Closed {
  return state.status === 'closed' && (state.code === 'bad_password' || state.code === 'password_required' || state.code === 'too_many_attempts');
}

/** What the password dialog says after a refusal; undefined when it only asks (none given yet). */
export function passwordRefusal(state: Closed): string | undefined {
  if (state.code === 'bad_password') return 'That password is not right. Check it with the host and try again.';
  if (state.code === 'too_many_attempts') return state.reason;
  return undefined;
}
