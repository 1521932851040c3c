// The hosts this machine has joined before, and the certificate each presented: the
// memory behind trust on first use (common/pinning.ts decides; this only keeps). One file,
// `known_hosts` in the data folder, like SSH's, readable by the person:
//   # comments
//   192.168.1.7:47800 3a5f…(64 hex) 2026-12-01T18:30:00.000Z
// An endpoint is the address as the person wrote it back (RoomAddress.display), host part
// lowercased, IPv6 bracketed. Owner-only (0600): it says where you chat. Rewritten whole
// through a temporary file and a rename, so a crash leaves the old file or the new one.
// Damaged lines are skipped, never fatal: a hand-edited file must not stop every join.
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FINGERPRINT_HEX } from '../../common/identity.ts';

export const KNOWN_HOSTS_FILE = 'known_hosts';
/** Enough for any person's LAN life; oldest entries go first beyond it. */
export const MAX_KNOWN_HOSTS = 10_000;

/**
 * host:port, the host a bracketed IPv6 address or a name as a URL parser leaves it (ASCII,
 * punycode): any printable character but space, `#` (a comment), `:` and brackets.
 */
const ENDPOINT = /^(\[[0-9A-Za-z:.%_-]+\]|[!"$-9;-Z\\^-~]+):(\d{1,5})$/;

interface Entry {
  fingerprint: string;
  seen: string;
}

const HEADER = '# Hearth known hosts: the identity each room host presented the first time you joined it.\n# Delete a line to forget a host. Format: host:port fingerprint(SHA-256 hex) first-seen\n';

export class KnownHosts {
  private readonly entries = new Map<string, Entry>();

  private readonly file: string;
  /** The file as last read (mtime): re-read when it changed, so a line deleted by hand, or another process's entry, is not overwritten. */
  #readAt: number | undefined;

  constructor(file: string) {
    this.file = file;
    this.#load();
  }

  #load(): void {
    let text: string;
    let readAt: number;
    try {
      readAt = statSync(this.file).mtimeMs;
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.entries.clear();
        this.#readAt = undefined;
        return;
      }
      throw error;
    }
    this.entries.clear();
    for (const line of text.split('\n')) {
      const entry = parseLine(line);
      if (entry) this.entries.set(entry.endpoint, { fingerprint: entry.fingerprint, seen: entry.seen });
    }
    this.#readAt = readAt;
  }

  #refresh(): void {
    let mtime: number | undefined;
    try {
      mtime = statSync(this.file).mtimeMs;
    } catch {
      mtime = undefined;
    }
    if (mtime !== this.#readAt) this.#load();
  }

  get(endpoint: string): string | undefined {
    this.#refresh();
    return this.entries.get(normaliseEndpoint(endpoint))?.fingerprint;
  }

  /** Remembers (or replaces) this endpoint's fingerprint and saves the file. */
  remember(endpoint: string, fingerprint: string, now: Date = new Date()): void {
    const key = normaliseEndpoint(endpoint);
    const hex = fingerprint.toLowerCase();
    if (!FINGERPRINT_HEX.test(hex)) throw new Error('not a SHA-256 fingerprint');
    // Kept only what a later read would find again: an endpoint the file cannot hold is refused, not lost silently.
    if (!ENDPOINT.test(key)) throw new Error(`not an address known_hosts can keep: ${JSON.stringify(endpoint)}`);
    this.#refresh();
    if (this.entries.get(key)?.fingerprint === hex) return;
    this.entries.delete(key); // re-inserted last: the newest
    this.entries.set(key, { fingerprint: hex, seen: now.toISOString() });
    while (this.entries.size > MAX_KNOWN_HOSTS) this.entries.delete(this.entries.keys().next().value!);
    this.save();
  }

  forget(endpoint: string): void {
    this.#refresh();
    if (this.entries.delete(normaliseEndpoint(endpoint))) this.save();
  }

  get size(): number {
    return this.entries.size;
  }

  private save(): void {
    const lines = [...this.entries].map(([endpoint, e]) => `${endpoint} ${e.fingerprint} ${e.seen}\n`);
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, HEADER + lines.join(''), { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.file);
    this.#readAt = statSync(this.file).mtimeMs;
  }
}

/** `Laptop.Local:47800` → `laptop.local:47800`; `fe80::1:47800` stays as written when bracketed. */
export function normaliseEndpoint(endpoint: string): string {
  const trimmed = endpoint.trim();
  const match = ENDPOINT.exec(trimmed);
  if (!match) return trimmed.toLowerCase();
  return `${match[1]!.toLowerCase()}:${Number(match[2])}`;
}

/** The endpoint a host and port are remembered under (IPv6 bracketed). */
export function endpointOf(host: string, port: number): string {
  return normaliseEndpoint(`${host.includes(':') ? `[${host}]` : host}:${port}`);
}

function parseLine(line: string): { endpoint: string; fingerprint: string; seen: string } | undefined {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return undefined;
  const [endpoint, fingerprint, seen, ...rest] = text.split(/\s+/);
  if (rest.length > 0 || endpoint === undefined || fingerprint === undefined) return undefined;
  const hex = fingerprint.toLowerCase();
  if (!FINGERPRINT_HEX.test(hex) || !ENDPOINT.test(endpoint)) return undefined;
  return { endpoint: normaliseEndpoint(endpoint), fingerprint: hex, seen: seen ?? '' };
}
