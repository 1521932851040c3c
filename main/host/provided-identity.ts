// A certificate the person provides (`hearth host --tls-cert FILE --tls-key FILE`, e.g. from
// an office CA) instead of the one Hearth makes: browsers that trust that CA then open the
// room over https with no warning. Its fingerprint becomes the host's identity (the TXT id,
// the link id, what the app and `hearth join` pin), so a renewed certificate is a new
// identity, and people who joined before are warned about it.
// A chain file is served whole; its first block is the leaf. Files that cannot be used are
// refused with a sentence naming the file, never replaced by Hearth's own pair.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { IdentityError, identityFromPem, type LoadedIdentity } from './identity.ts';

export interface ProvidedTlsFiles {
  cert: string;
  key: string;
}

export interface ProvidedIdentity extends LoadedIdentity {
  /** The certificate's DNS names (subjectAltName), in its order, wildcards left out: what browsers can open. */
  dnsNames: readonly string[];
  /** When the certificate stops being valid: a renewal after it changes the identity. */
  validTo: Date;
}

/** The provided files cannot be used; `why` names the file and what is wrong, as a clause. */
export class ProvidedTlsError extends Error {
  readonly file: string;
  readonly why: string;
  constructor(file: string, why: string) {
    super(why);
    this.name = 'ProvidedTlsError';
    this.file = file;
    this.why = why;
  }
}

const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';
const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/;
const ENCRYPTED_KEY = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/;

/** Throws ProvidedTlsError when the files are missing, unreadable, not PEM, not a pair, or out of date. */
export function loadProvidedIdentity(files: ProvidedTlsFiles, now: number = Date.now()): ProvidedIdentity {
  const text = readPem(files.cert, 'certificate');
  const key = readPem(files.key, 'key');
  // The certificate blocks alone, one per line: a chain made with `cat` from files without a
  // final newline still reads, and nothing else in the file (comments, a key) is ever served.
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  if (!blocks) {
    throw new ProvidedTlsError(files.cert, `${files.cert} is not a certificate in PEM form (a text file starting with ${PEM_CERTIFICATE})`);
  }
  const cert = `${blocks.join('\n')}\n`;
  if (ENCRYPTED_KEY.test(key)) {
    throw new ProvidedTlsError(files.key, `${files.key} is protected by a passphrase, which Hearth cannot ask for: give it the key without one (openssl pkey -in ${files.key} -out key.pem)`);
  }
  if (!PEM_PRIVATE_KEY.test(key)) {
    throw new ProvidedTlsError(files.key, `${files.key} is not a private key in PEM form (a text file starting with -----BEGIN PRIVATE KEY-----)`);
  }
  let identity;
  try {
    identity = identityFromPem(key, cert, 'provided', { keyFile: files.key, certFile: files.cert });
  } catch (error) {
    if (error instanceof IdentityError) throw new ProvidedTlsError(error.file, error.why);
    throw error;
  }
  const leaf = new X509Certificate(blocks[0]!);
  const validFrom = new Date(leaf.validFrom);
  const validTo = new Date(leaf.validTo);
  if (validTo.getTime() <= now) {
    throw new ProvidedTlsError(files.cert, `the certificate in ${files.cert} expired on ${day(validTo)}: browsers refuse it. Renew it (people who joined before will be warned that the host's identity changed)`);
  }
  if (validFrom.getTime() > now) {
    throw new ProvidedTlsError(files.cert, `the certificate in ${files.cert} is not valid until ${day(validFrom)}: browsers refuse it until then`);
  }
  return { ...identity, movedAside: [], dnsNames: dnsNamesOf(leaf), validTo };
}

function readPem(file: string, what: 'certificate' | 'key'): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const flag = what === 'certificate' ? '--tls-cert' : '--tls-key';
    if (code === 'ENOENT') throw new ProvidedTlsError(file, `${file} (${flag}) does not exist`);
    if (code === 'EACCES' || code === 'EPERM') throw new ProvidedTlsError(file, `${file} (${flag}) cannot be read: permission denied`);
    if (code === 'EISDIR') throw new ProvidedTlsError(file, `${file} (${flag}) is a folder, not a file`);
    throw new ProvidedTlsError(file, `${file} (${flag}) cannot be read: ${(error as Error).message}`);
  }
}

/** "DNS:chat.office.example, IP Address:10.0.0.5" → ["chat.office.example"]; a wildcard names no one host. */
function dnsNamesOf(certificate: X509Certificate): string[] {
  const names: string[] = [];
  for (const entry of (certificate.subjectAltName ?? '').split(',')) {
    const match = /^\s*DNS:(.+?)\s*$/.exec(entry);
    const name = match?.[1]?.toLowerCase();
    if (name && !name.includes('*') && /^[a-z0-9.-]+$/.test(name) && !names.includes(name)) names.push(name);
  }
  return names;
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
