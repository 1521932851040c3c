// The certificates the desktop app's renderer may meet, per hostname: what the main
// process's certificate check (main/electron/certificates.ts, trust.ts certificateVerdict)
// accepts instead of Chromium's verdict. Fed by the identity check before each join (a
// trusted, first-use or person-accepted fingerprint) and by the app's own hosted room.
// Chromium's verify proc is told the hostname and never the port, so two rooms on one
// machine are two pins under one name. Pins only add for the app's lifetime: Chromium
// caches a verdict per (certificate, host), so taking one back could not be relied on, and
// a newly trusted identity is a new certificate anyway.

export class PinStore {
  readonly #pins = new Map<string, Set<string>>();

  /** Accept this certificate (lowercase hex SHA-256 of its DER) from `hostname` from now on. */
  pin(hostname: string, fingerprint: string): void {
    const key = pinHostname(hostname);
    const set = this.#pins.get(key) ?? new Set<string>();
    set.add(fingerprint.toLowerCase());
    this.#pins.set(key, set);
  }

  /** The fingerprints pinned for this hostname; none when the app never pinned it. */
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
