// The host's identity: an ECDSA P-256 key and a self-signed certificate, made on first
// start and kept in the data folder (`host-key.pem`, `host-cert.pem`, owner-only). The
// certificate's SHA-256 fingerprint is who this host is (common/identity.ts derives the TXT
// id, the short form and the full one from it), so the pair is reused across restarts and
// never silently replaced: a new key would look like an impostor to everyone who joined
// before. A damaged or mismatched pair is refused with a sentence; `hearth host
// --new-identity` moves it aside (like `--new-history`) and makes a new one.
// The certificate library (selfsigned, over @peculiar/x509) is imported only when a pair is
// made; later starts read the files with node:crypto alone.
import { createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprintOf, hostIdOf, shortFingerprint } from '../../common/identity.ts';
import { moveAside } from './data-dir.ts';

export const KEY_FILE = 'host-key.pem';
export const CERT_FILE = 'host-cert.pem';

export interface HostIdentity {
  /** The private key, PKCS#8 PEM. */
  key: string;
  /** The certificate, PEM. */
  cert: string;
  /** SHA-256 of the certificate's DER, lowercase hex. */
  fingerprint: string;
  /** The id the room is listed and linked under (common/identity.ts hostIdOf). */
  hostId: string;
  /** What people compare on screens (hyobc-tq2me-7xk4a-lw3fd). */
  short: string;
  /** Made by Hearth, or a certificate the person provided. */
  source: 'generated' | 'provided';
  /** False when the folder could not keep a new pair: this run has an identity the next will not. */
  saved: boolean;
}

export interface LoadedIdentity extends HostIdentity {
  /** Files a renewal moved aside (full paths; none otherwise). */
  movedAside: readonly string[];
}

/**
 * The pair in the data folder cannot be used. `why` says what is wrong, as a clause (no
 * remedy: each shell says how to start over in its own terms).
 */
export class IdentityError extends Error {
  readonly file: string;
  readonly why: string;
  constructor(file: string, why: string) {
    super(why);
    this.name = 'IdentityError';
    this.file = file;
    this.why = why;
  }
}

export interface IdentityOptions {
  /** Move the present pair aside and make a new one (`--new-identity`). */
  renew?: boolean;
  now?: () => number;
  /** One line for the host's log (a key whose permissions were tightened, a pair not saved). */
  log?: (line: string) => void;
}

const DAY_MS = 86_400_000;

/**
 * This host's identity from `dataDir`, made there on first start. Throws IdentityError
 * when the folder holds a pair that cannot be used (never replaces it silently).
 */
export async function loadOrCreateIdentity(dataDir: string, options: IdentityOptions = {}): Promise<LoadedIdentity> {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const keyFile = join(dataDir, KEY_FILE);
  const certFile = join(dataDir, CERT_FILE);
  let movedAside: string[] = [];
  try {
    if (options.renew) movedAside = moveAside(dataDir, [KEY_FILE, CERT_FILE], new Date(now()));
  } catch (error) {
    throw new IdentityError(keyFile, `cannot move the old identity aside in ${dataDir}: ${(error as Error).message}`);
  }

  const key = readIfPresent(keyFile);
  const cert = readIfPresent(certFile);
  if (key !== undefined && cert !== undefined) {
    const identity = identityFromPem(key, cert, 'generated', { keyFile, certFile });
    tightenKeyMode(keyFile, log);
    return { ...identity, movedAside };
  }
  if (key !== undefined) throw new IdentityError(certFile, `${certFile} is missing beside ${keyFile}, so this host cannot prove it is the one people joined before`);
  if (cert !== undefined) throw new IdentityError(keyFile, `${keyFile} is missing beside ${certFile}, so this host cannot prove it is the one people joined before`);

  const made = await generatePair(now());
  const identity = identityFromPem(made.key, made.cert, 'generated');
  let saved = true;
  try {
    if (savePair(dataDir, made) === 'lost') {
      // Another start (a second window, a second `hearth host`) published its key first:
      // its pair is this host's identity, and ours is dropped unseen.
      return { ...(await loadWinner(keyFile, certFile)), movedAside };
    }
  } catch (error) {
    if (error instanceof IdentityError) throw error;
    saved = false;
    log(`could not save the host identity in ${dataDir} (${(error as Error).message}): people will see a changed-identity warning next time`);
  }
  return { ...identity, saved, movedAside };
}

/** How long a start that lost the race waits for the winner's certificate to follow its key. */
const WINNER_CERT_WAIT_MS = 2000;

/** The pair another start published: its key is there, its certificate follows within moments. */
async function loadWinner(keyFile: string, certFile: string): Promise<HostIdentity> {
  const key = readIfPresent(keyFile);
  if (key === undefined) throw new IdentityError(keyFile, `${keyFile} vanished while another start was making it`);
  const deadline = Date.now() + WINNER_CERT_WAIT_MS;
  let cert = readIfPresent(certFile);
  while (cert === undefined && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    cert = readIfPresent(certFile);
  }
  if (cert === undefined) throw new IdentityError(certFile, `${certFile} is missing beside ${keyFile}, so this host cannot prove it is the one people joined before`);
  return identityFromPem(key, cert, 'generated', { keyFile, certFile });
}

/**
 * The identity of a key and certificate in PEM (the certificate's first block is the leaf).
 * Throws IdentityError when either cannot be read or the key is not the certificate's.
 */
export function identityFromPem(
  key: string,
  cert: string,
  source: HostIdentity['source'],
  files: { keyFile: string; certFile: string } = { keyFile: 'the key', certFile: 'the certificate' },
): HostIdentity {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(firstPemBlock(cert));
  } catch {
    throw new IdentityError(files.certFile, `${files.certFile} is not a certificate Hearth can read (damaged?)`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new IdentityError(files.keyFile, `${files.keyFile} is not a private key Hearth can read (damaged?)`);
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new IdentityError(files.keyFile, `${files.keyFile} is not the key of ${files.certFile} (the two files do not belong together)`);
  }
  const fingerprint = fingerprintOf(new Uint8Array(certificate.raw));
  return { key, cert, fingerprint, hostId: hostIdOf(fingerprint), short: shortFingerprint(fingerprint), source, saved: true };
}

/** The leaf of a PEM chain: node:crypto reads one certificate at a time. */
function firstPemBlock(pem: string): string {
  return /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(pem)?.[0] ?? pem;
}

/** A new P-256 key and a self-signed certificate for it, valid from yesterday for 20 years. */
async function generatePair(now: number): Promise<{ key: string; cert: string }> {
  const { generate } = await import('selfsigned');
  const made = await generate([{ name: 'commonName', value: 'Hearth host' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    // A day back: a client whose clock is a little behind still sees a valid certificate.
    notBeforeDate: new Date(now - DAY_MS),
    notAfterDate: new Date(now + 20 * 365 * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
    ],
  });
  // PKCS#8 whatever the library's default: what node:crypto and the files keep.
  const key = createPrivateKey(made.private).export({ type: 'pkcs8', format: 'pem' }).toString();
  return { key, cert: made.cert };
}

/**
 * Write both files owner-only, each to a temporary name then published, the key first: a
 * crash leaves either the old state or a whole file, never half a key. The key is published
 * with a hard link, which fails when the file exists (a rename would replace it): of two
 * starts making the identity at once, exactly one publishes, and the other gets 'lost' and
 * loads that pair rather than run with a key nobody will find on disk. A new folder is made
 * owner-only; an existing one (the desktop's userData) is left as it is.
 */
function savePair(dataDir: string, pair: { key: string; cert: string }): 'saved' | 'lost' {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Unique per attempt, not just per process: two starts in one process must not share one.
  const suffix = `${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const written: string[] = [];
  try {
    for (const [name, body] of [
      [KEY_FILE, pair.key],
      [CERT_FILE, pair.cert],
    ] as const) {
      const temporary = join(dataDir, `${name}.${suffix}`);
      written.push(temporary);
      const fd = openSync(temporary, 'wx', 0o600);
      try {
        writeSync(fd, body);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    if (!publishFirst(written[0]!, join(dataDir, KEY_FILE))) return 'lost';
    // The key is ours alone: nobody else writes the certificate beside it.
    renameSync(written[1]!, join(dataDir, CERT_FILE));
    return 'saved';
  } finally {
    for (const file of written) rmSync(file, { force: true });
  }
}

/**
 * Gives `temporary`'s content the name `final` unless `final` exists (false then). A file
 * system without hard links (FAT on a stick) falls back to a rename: no race guard there,
 * but an identity that is kept.
 */
function publishFirst(temporary: string, final: string): boolean {
  try {
    linkSync(temporary, final);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    renameSync(temporary, final);
    return true;
  }
}

/** A key others can read is made owner-only again (and said once); Windows has the profile's ACL. */
function tightenKeyMode(keyFile: string, log: (line: string) => void): void {
  if (process.platform === 'win32') return;
  try {
    const mode = statSync(keyFile).mode & 0o777;
    if ((mode & 0o077) === 0) return;
    chmodSync(keyFile, 0o600);
    log(`${keyFile} could be read by others (mode ${mode.toString(8)}): made it owner-only (600)`);
  } catch (error) {
    // A read-only folder: the key is still usable, but say that it stays readable by others.
    log(`${keyFile} could be read by others and could not be made owner-only: ${(error as Error).message}`);
  }
}

function readIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    // Absent, or a data folder that is not there to read (saving will say why).
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new IdentityError(file, `cannot read ${file}: ${(error as Error).message}`);
  }
}

