// Which web pages may open a WebSocket to this host (and read /health across origins).
//
// A browser on the LAN may be showing a page from anywhere; without this check that page
// could join (or flood, or guess passwords in) a room on its visitor's behalf. Comparing
// Origin with the request's Host header is not enough: under DNS rebinding a hostile name
// resolves to this machine, and the browser sends that name in both. So the page's host
// must be one this machine really answers to: its own addresses, its names, localhost.
import { hostname, networkInterfaces } from 'node:os';

export interface OriginCheckOptions {
  /** The port the host listens on (read at check time: it is known only after listen). */
  port: () => number;
  /** Development and test pages: exact origins, or "http://127.0.0.1:*" for any port. */
  extra: readonly string[];
  /** Names besides the machine's hostname (e.g. the mDNS name the advertiser picked). */
  hostNames: () => readonly string[];
}

export interface OriginCheck {
  /** May a page of this origin open a WebSocket? (No Origin: not a browser, allowed.) */
  allows(origin: string | undefined): boolean;
  /** May a page of this origin read answers across origins (/health)? The app and the extra pages. */
  allowsCrossOrigin(origin: string): boolean;
}

const APP_ORIGIN = 'app://hearth';

export function createOriginCheck(options: OriginCheckOptions): OriginCheck {
  const allowsCrossOrigin = (origin: string): boolean => origin === APP_ORIGIN || matchesExtra(origin, options.extra);
  return {
    allowsCrossOrigin,
    allows(origin) {
      if (origin === undefined) return true;
      if (allowsCrossOrigin(origin)) return true;
      return isOwnOrigin(origin, options.port(), options.hostNames());
    },
  };
}

/** "http://127.0.0.1:*" allows any port of that host; anything else must match exactly. */
function matchesExtra(origin: string, extra: readonly string[]): boolean {
  return extra.some(
    (allowed) =>
      allowed === origin ||
      (allowed.endsWith(':*') && origin.startsWith(allowed.slice(0, -1)) && /^\d+$/.test(origin.slice(allowed.length - 1))),
  );
}

/** The web client this host served: http(s)://<one of our addresses or names>:<our port>. */
export function isOwnOrigin(origin: string, port: number, extraNames: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.origin !== origin) return false; // paths, credentials or odd spellings: not a page origin
  const originPort = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (originPort !== port) return false;
  return ownHostNames(extraNames).has(url.hostname.toLowerCase());
}

/** Every name and address this machine answers to, as URL.hostname spells them (IPv6 in brackets). */
function ownHostNames(extraNames: readonly string[]): Set<string> {
  const names = new Set<string>(['localhost', '127.0.0.1', '[::1]']);
  const machine = hostname().toLowerCase();
  if (machine) {
    names.add(machine);
    names.add(`${machine}.local`);
  }
  for (const name of extraNames) names.add(name.toLowerCase().replace(/\.$/, ''));
  // Read at check time: addresses come and go (DHCP, Wi-Fi), and upgrades are rare.
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) {
      if (entry.family === 'IPv4') names.add(entry.address);
      else names.add(`[${entry.address.split('%')[0]!.toLowerCase()}]`);
    }
  }
  return names;
}
