// How the dashboard says whether people joined encrypted: in words, never colour alone.
import type { DashboardPerson } from '../../../common/dashboard.ts';

/** The people table's "Connection" cell. */
export function connectionWords(encrypted: boolean): string {
  return encrypted ? 'Encrypted' : 'Not encrypted';
}

/** Beside the people count: "2 not encrypted", or undefined when everyone is encrypted (or nobody is here). */
export function notEncryptedCountWords(people: ReadonlyArray<Pick<DashboardPerson, 'encrypted'>>): string | undefined {
  const plain = people.filter((p) => !p.encrypted).length;
  return plain === 0 ? undefined : `${plain} not encrypted`;
}
