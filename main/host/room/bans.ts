// Bans, kept in memory for the room's life (not across restarts): on a user id, an address
// or both. Those who moderate are never kept out.
import { isIP } from 'node:net';
import { nameKey } from '../../../common/names.ts';
import type { DashboardBan } from '../../../common/dashboard.ts';
import { peerAddress } from '../peer.ts';

/** One ban (the contract's shape). */
export type BanEntry = DashboardBan;

export class Bans {
  /** Oldest first. A handful at most on a LAN, so lookups walk the list. */
  #bans: BanEntry[] = [];
  /**
   * Members who moderate (the host's own, and whoever has shown the admin token): a ban on
   * an address they share (a terminal admin on the host's machine) never keeps them out.
   */
  readonly #moderators = new Set<string>();

  addModerator(userId: string): void {
    this.#moderators.add(userId);
  }

  isModerator(userId: string): boolean {
    return this.#moderators.has(userId);
  }

  /** Who is banned, oldest first: for the dashboard. */
  list(): BanEntry[] {
    return this.#bans.map((ban) => ({ ...ban }));
  }

  /** A new ban replaces any earlier one on the same person or address. */
  add(ban: BanEntry): void {
    this.#bans = this.#bans.filter((b) => (ban.userId === null || b.userId !== ban.userId) && (ban.userId !== null || b.userId !== null || b.address !== ban.address));
    this.#bans.push(ban);
  }

  /** The ban that keeps this person out, if any; never one on those who moderate. */
  of(userId: string, address: string): BanEntry | undefined {
    if (this.#moderators.has(userId)) return undefined;
    return this.#bans.find((b) => b.userId === userId || (b.address !== null && b.address === address));
  }

  /** Lift the bans `target` names; says what it lifted, or what is banned if nothing matched. */
  lift(target: string): { ok: true; detail: string } | { ok: false; error: string } {
    const lifted = this.#bans.filter((b) => banMatches(b, target));
    if (lifted.length === 0) {
      const listed = this.#bans.slice(0, 10).map(describeBan).join(', ') + (this.#bans.length > 10 ? ', …' : '');
      return { ok: false, error: `${target.slice(0, 40)} is not banned${listed ? ` (banned: ${listed})` : ''}` };
    }
    this.#bans = this.#bans.filter((b) => !lifted.includes(b));
    return { ok: true, detail: `unbanned ${lifted.map(describeBan).join(', ')}` };
  }
}

/** `/unban` takes a name (any case, lookalikes too), an address or a user id. */
function banMatches(ban: BanEntry, target: string): boolean {
  if (ban.userId === target) return true;
  if (ban.address !== null && isIP(target) && ban.address === peerAddress(target)) return true;
  return ban.userId !== null && ban.name !== '' && nameKey(ban.name) === nameKey(target);
}

function describeBan(ban: BanEntry): string {
  if (ban.userId === null) return ban.address!;
  return ban.address ? `${ban.name} (${ban.address})` : ban.name;
}
