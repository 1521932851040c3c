// The name as typed in the lobby, checked by the rules the room applies (common/names.ts),
// so Join can wait for a name that will be accepted instead of the room picking another.
import { checkName } from '../../../common/names.ts';

/** Why this name cannot be used, or undefined when it can (empty: the room gives a friendly one). */
export function nameProblem(draft: string): string | undefined {
  if (draft.trim() === '') return undefined;
  const check = checkName(draft);
  return check.ok ? undefined : check.reason;
}
