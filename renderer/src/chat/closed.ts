// The heading of a room you are not in (any more): what happened, in words.
import type { ConnectionState } from '../../../common/client.ts';

type ClosedCode = Extract<ConnectionState, { status: 'closed' }>['code'];

export function closedTitle(code: ClosedCode): string {
  switch (code) {
    case 'name_taken':
    case 'name_invalid':
      return 'Pick another name';
    case 'bad_password':
    case 'password_required':
      return 'This room needs the password';
    case 'banned':
      return 'You were banned';
    case 'kicked':
      return 'You were removed';
    default:
      return 'You are not in the room';
  }
}
