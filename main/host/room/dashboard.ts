// The room as the host's dashboard shows it: one row per person.
import type { DashboardPerson } from '../../../common/dashboard.ts';
import type { Session } from './session.ts';

/** One row of the dashboard's people table (the contract's shape). */
export type PersonRow = DashboardPerson;

export function personRow(s: Session): PersonRow {
  return {
    id: s.member!.id,
    name: s.member!.name,
    address: s.peer.address,
    since: s.member!.since,
    messages: s.messagesSent,
    lastActive: s.lastActive,
    rttMs: s.rttMs ?? null,
    typing: s.typingTimer !== undefined,
    encrypted: s.encrypted,
  };
}
