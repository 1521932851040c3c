// An invite link carries every address the host has, best first. The best one is the link
// itself, since a browser or a phone's camera opens only that; the others and the host's id
// ride in the fragment, which browsers never send to a server:
//   http://192.168.1.7:47800/#via=10.0.0.5:47800,172.20.1.3:47800&id=k3j4h5g6f7d8
// The app and `hearth join` read the whole link and try each address (common/reach.ts).
// The id tells the room in the link from a different machine answering at one of those
// addresses on another network (two homes both using 192.168.1.x); it is no secret.
import { parseAddress, type RoomAddress } from './address.ts';

/** Wi-Fi, Ethernet and a few VPNs, and still a QR code a phone reads at a glance. */
export const MAX_CANDIDATES = 8;
const MAX_LINK_LENGTH = 1000;
/** A host's id as /health gives it: 32 base32 characters derived from its certificate (common/identity.ts hostIdOf); 12 random ones from hosts before that. */
export const HOST_ID = /^[a-z0-9]{10,32}$/;
/** A fragment entry: host:port, nothing else (IPv6 in brackets). */
const ENDPOINT = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):\d{1,5}$/i;

export interface Endpoint {
  host: string;
  port: number;
}

export interface Invite {
  /** Best first; the first is the link's own address. */
  candidates: RoomAddress[];
  /** The host's id, when the link names it: an address answering with another id is another room. */
  hostId?: string;
}

export type InviteResult = { ok: true; invite: Invite } | { ok: false; reason: string };

/** The link for these addresses (best first, at most MAX_CANDIDATES kept); undefined for none. */
export function inviteLink(endpoints: readonly Endpoint[], hostId?: string): string | undefined {
  const authorities = [...new Set(endpoints.map(({ host, port }) => `${host.includes(':') ? `[${host}]` : host}:${port}`))].slice(0, MAX_CANDIDATES);
  const [first, ...others] = authorities;
  if (first === undefined) return undefined;
  const fields = [...(others.length > 0 ? [`via=${others.join(',')}`] : []), ...(hostId !== undefined ? [`id=${hostId}`] : [])];
  return `http://${first}/${fields.length > 0 ? `#${fields.join('&')}` : ''}`;
}

/** The link without its fragment: what a person reads out or types (the best address). */
export function shortLink(link: string): string {
  const hashAt = link.indexOf('#');
  return hashAt === -1 ? link : link.slice(0, hashAt);
}

/** A typed address, a plain link or an invite link: the addresses to try, in order. */
export function parseInvite(input: string): InviteResult {
  const text = input.trim();
  if (text.length > MAX_LINK_LENGTH) return { ok: false, reason: 'That link is too long.' };
  const hashAt = text.indexOf('#');
  const first = parseAddress(hashAt === -1 ? text : text.slice(0, hashAt));
  if (!first.ok) return first;
  const fields = readFragment(hashAt === -1 ? '' : text.slice(hashAt + 1));
  if (!fields.ok) return fields;

  const invite: Invite = { candidates: [first.address] };
  const { via, id } = fields.value;
  if (id !== undefined) {
    if (!HOST_ID.test(id)) return damaged('its host id is not one Hearth makes');
    invite.hostId = id;
  }
  if (via !== undefined) {
    const entries = via.split(',');
    if (entries.length + 1 > MAX_CANDIDATES) return { ok: false, reason: `That link lists more than ${MAX_CANDIDATES} addresses. Ask the host for a new one.` };
    // The others are reached the way the link itself is (http or https).
    const scheme = first.address.wsUrl.startsWith('wss:') ? 'https' : 'http';
    for (const entry of entries) {
      const parsed = ENDPOINT.test(entry) ? parseAddress(`${scheme}://${entry}`) : undefined;
      if (!parsed?.ok) return damaged(`"${entry}" is not an address with a port, like 10.0.0.5:47800`);
      if (!invite.candidates.some((c) => c.display === parsed.address.display)) invite.candidates.push(parsed.address);
    }
  }
  return { ok: true, invite };
}

type Fragment = { via?: string; id?: string };

/**
 * `via=…&id=…`. A fragment naming neither is not an invite's (a plain link may have one) and
 * is ignored, as are fields a later version may add; the two known ones must be sound.
 */
function readFragment(fragment: string): { ok: true; value: Fragment } | { ok: false; reason: string } {
  const value: Fragment = {};
  if (fragment === '') return { ok: true, value };
  for (const field of fragment.split('&')) {
    const equals = field.indexOf('=');
    const key = equals === -1 ? field : field.slice(0, equals);
    if (key !== 'via' && key !== 'id') continue;
    if (value[key] !== undefined) return damaged(`it names "${key}" twice`);
    let decoded: string;
    try {
      // Chat apps and browsers may percent-encode the brackets of an IPv6 address.
      decoded = decodeURIComponent(equals === -1 ? '' : field.slice(equals + 1));
    } catch {
      return damaged(`its "${key}" part is garbled`);
    }
    if (decoded === '') return damaged(`its "${key}" part is empty`);
    value[key] = decoded;
  }
  return { ok: true, value };
}

function damaged(why: string): { ok: false; reason: string } {
  return { ok: false, reason: `That link is damaged: ${why}. Ask the host to send it again.` };
}
