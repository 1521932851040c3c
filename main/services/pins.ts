// The certificate the desktop app's renderer may meet, per hostname: what the main
// process's certificate check (main/electron/certificates.ts, trust.ts certificateVerdict)
// accepts instead of Chromium's verdict. Set by the identity check before each connection
// (a trusted, first-use or person-accepted fingerprint) and by the app's own hosted room.
// One per hostname, the latest decision: the renderer signs its password proof with the
// fingerprint it was told, so accepting any other certificate for that name (an identity
// trusted before, another room on that machine, an earlier holder of a DHCP address) would
// let that certificate's owner relay the proof. Chromium's verify proc is told the hostname
// and never the port, so two rooms on one machine take turns: every connection, reconnects
// included, is preceded by an identity check that pins what it is about to meet. Chromium
// caches a verdict per (certificate, host) for a while, which a replaced pin cannot take
// back: docs/security.md says so.

export class PinStore {
  readonly #pins = new Map<string, ReadonlySet<string>>();

  /** Accept this certificate (lowercase hex SHA-256 of its DER), and only it, from `hostname` from now on. */
  pin(hostname: string, fingerprint: string): void {
    this.#pins.set(pinHostname(hostname), new Set([fingerprint.toLowerCase()]));
  }

  /** The fingerprint pinned for this hostname (a set of one), or none when the app never pinned it. */
  fingerprints(hostname: string): ReadonlySet<string> {
    return this.#pins.get(pinHostname(hostname)) ?? NONE;
  }
}

const NONE: ReadonlySet<string> = new Set();

/**
 * One form per host, however it is written: Chromium hands the verify proc an IPv6
 * hostname with or without brackets, and an address may be written in several ways
 * (`[::1]`, `[0:0::1]`, `127.1`). The WHATWG URL parser (Chromium's own rules) makes each
 * canonical; names are lowercased. What it cannot parse is kept lowercased, so it can only
 * match itself.
 */
export function pinHostname(hostname: string): string {
  const bare = hostname.trim().replace(/^\[(.*)\]$/, '$1');
  try {
    const host = new URL(`http://${bare.includes(':') ? `[${bare}]` : bare}/`).hostname;
    return host.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return bare.toLowerCase();
  }
}
