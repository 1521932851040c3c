// The room's side of a connection: a place to send frames that are already encoded and
// framed (frame.ts), and the address the connection comes from. The room, its history feed
// and its tests know a connection only as a Peer; ws-peer.ts is the one over a WebSocket.
import { isIPv4 } from 'node:net';

/**
 * An address as peers, bans and limits know it: lower case, IPv4-mapped IPv6 written as
 * IPv4 (a dual-stack socket reports 192.168.1.7 as ::ffff:192.168.1.7), 'unknown' if none.
 */
export function peerAddress(address: string | undefined): string {
  if (!address) return 'unknown';
  const lower = address.toLowerCase();
  return lower.startsWith('::ffff:') && isIPv4(lower.slice(7)) ? lower.slice(7) : lower;
}

export interface Peer {
  /** Remote IP address, for per-address limits and bans. */
  readonly address: string;
  readonly open: boolean;
  /** A complete WebSocket frame (encodeFrame). */
  send(frame: Buffer): void;
  close(code: number, reason: string): void;
  /**
   * Calls `ready` once the backlog is at most `lowWater` bytes: at once (on a later turn) if
   * it already is, else when the socket drains. Never called for a peer that went away.
   */
  whenDrained(lowWater: number, ready: () => void): void;
}
