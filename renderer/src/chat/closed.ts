// A room you are not in (any more): whether the password dialog asks again (a refused
// password is asked again there, never under a heading). The words themselves, the heading
// and why a password was refused, are common/wording.ts's.
import type { ConnectionState } from '../../../common/client.ts';

export { closedTitle, passwordRefusal } from '../../../common/wording.ts';

type Closed = Extract<ConnectionState, { status: 'closed' }>;

/** Refusals answered by asking for the password again, in the password dialog. */
export function asksForPassword(state: ConnectionState): state is Closed {
  return state.status === 'closed' && (state.code === 'bad_password' || state.code === 'password_required' || state.code === 'too_many_attempts');
}
