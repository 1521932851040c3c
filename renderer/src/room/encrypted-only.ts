// The words of the hosting panel's "Encrypted connections only" switch.
import type { DashboardPerson } from '../../../common/ipc.ts';

/** Who turning the switch on disconnects: everyone here who joined without encryption. */
export function joinedPlain(people: readonly Pick<DashboardPerson, 'encrypted'>[]): number {
  return people.filter((p) => !p.encrypted).length;
}

/** The question before turning it on while some are here without encryption. */
export function disconnectWarning(plain: number): string {
  return plain === 1
    ? '1 person joined without encryption (in a browser) and will be disconnected.'
    : `${plain} people joined without encryption (browsers) and will be disconnected.`;
}
