// What a person types to reach a room: "192.168.1.7", "192.168.1.7:47800", "laptop.local",
// "ws://host:port", "http://host:port/" (the link the host shows), "[fe80::1%eth0]:47800".

export const DEFAULT_PORT = 47800;

export interface RoomAddress {
  host: string;
  port: number;
  /** Where the WebSocket lives. */
  wsUrl: string;
  /** The web client and /health. */
  httpUrl: string;
  /** host:port as a person would write it back. */
  display: string;
}

export type AddressResult = { ok: true; address: RoomAddress } | { ok: false; reason: string };

export function parseAddress(input: string): AddressResult {
  const text = input.trim();
  if (text.length === 0) return { ok: false, reason: 'Type the address the host shows, like 192.168.1.7:47800.' };
  if (text.length > 300) return { ok: false, reason: 'That address is too long.' };
  if (/\s/.test(text)) return { ok: false, reason: 'An address cannot contain spaces.' };

  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, reason: `"${text}" is not an address. Try something like 192.168.1.7:47800.` };
  }
  const scheme = url.protocol.replace(':', '');
  if (!['http', 'https', 'ws', 'wss'].includes(scheme)) {
    return { ok: false, reason: `Hearth rooms use http or ws addresses, not ${scheme}.` };
  }
  if (url.username || url.password) return { ok: false, reason: 'An address cannot contain a user name or password.' };
  const host = url.hostname;
  if (!host) return { ok: false, reason: 'The address has no host.' };
  const port = url.port ? Number(url.port) : DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { ok: false, reason: 'The port must be 1–65535.' };

  const secure = scheme === 'https' || scheme === 'wss';
  const authority = `${host}:${port}`;
  return {
    ok: true,
    address: {
      host: host.replace(/^\[|\]$/g, ''),
      port,
      wsUrl: `${secure ? 'wss' : 'ws'}://${authority}/ws`,
      httpUrl: `${secure ? 'https' : 'http'}://${authority}/`,
      display: authority,
    },
  };
}

/** The same room over TLS (wss/https on the same port: the host answers both ways), for clients that pin its certificate. */
export function secureAddress(address: RoomAddress): RoomAddress {
  return {
    ...address,
    wsUrl: address.wsUrl.replace(/^wss?:/, 'wss:'),
    httpUrl: address.httpUrl.replace(/^https?:/, 'https:'),
  };
}
