// `hearth host --tls-cert/--tls-key` and `--encrypted-only`, as real processes on 127.0.0.1
// (mDNS off): an office CA made here with openssl (root → intermediate → host, SAN
// DNS:hearth.test and IP:127.0.0.1); the host serves that chain, and a client that trusts
// only the root verifies it normally. Files that cannot be used are a sentence and exit 2.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOf, hostIdOf, shortFingerprint } from '../../common/identity.ts';
import { Proc, spawnHost } from '../../test/support/cli.ts';
import { tempDir } from '../../test/support/host.ts';
import { endEachTest } from '../../test/support/test-ends.ts';

const ca = tempDir('hearth-office-ca-');
const files = {
  root: join(ca.path, 'root.pem'),
  chain: join(ca.path, 'host-chain.pem'),
  leaf: join(ca.path, 'host.pem'),
  key: join(ca.path, 'host.key'),
  otherKey: join(ca.path, 'other.key'),
};

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore', timeout: 10_000, cwd: ca.path });
}

/** A P-256 key and a request for `subject`. */
function request(name: string, subject: string): void {
  openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
}

function sign(name: string, by: string, extensions: string): void {
  writeFileSync(join(ca.path, `${name}.ext`), extensions);
  openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${by}.pem`, '-CAkey', `${by}.key`, '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
}

beforeAll(() => {
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-days', '2', '-subj', '/CN=Office Root CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  request('intermediate', '/CN=Office Intermediate CA');
  sign('intermediate', 'root', 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n');
  request('host', '/CN=hearth.test');
  sign('host', 'intermediate', 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:hearth.test,IP:127.0.0.1\n');
  // What an office hands out: the host's certificate first, then the intermediate.
  writeFileSync(files.chain, readFileSync(files.leaf, 'utf8') + readFileSync(join(ca.path, 'intermediate.pem'), 'utf8'));
  request('other', '/CN=someone else');
});
afterAll(() => ca.remove());

const { procs, cleanups } = endEachTest();

function dataDir(): string {
  const d = tempDir();
  cleanups.push(() => d.remove());
  return d.path;
}

async function host(args: string[]) {
  const started = await spawnHost(['--port', '0', '--data', dataDir(), '--store', 'memory', ...args]);
  procs.push(started.proc);
  return started;
}

/** `hearth host` that must refuse to start: its exit code and what it said. */
async function refusedHost(args: string[]): Promise<{ code: number | null; said: string }> {
  const proc = new Proc(['host', '--no-mdns', '--port', '0', '--data', dataDir(), '--store', 'memory', ...args]);
  procs.push(proc);
  const code = await proc.exit;
  return { code, said: proc.errLines.join('\n') };
}

function getJson(get: typeof httpGet | typeof httpsGet, options: Record<string, unknown>): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', path: '/health', timeout: 5000, ...options }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(JSON.parse(body) as Record<string, unknown>));
    }).on('error', reject);
  });
}

describe('hearth host --tls-cert --tls-key', () => {
  it('serves the provided chain: a client trusting only the office root verifies it normally, and the identity is that certificate', async () => {
    const { proc, port } = await host(['--tls-cert', files.chain, '--tls-key', files.key]);
    const health = await getJson(httpsGet, { port, ca: readFileSync(files.root) });
    const leafFingerprint = fingerprintOf(new X509Certificate(readFileSync(files.leaf)).raw);
    expect(health).toMatchObject({ app: 'hearth', tls: true, id: hostIdOf(leafFingerprint) });
    // Verification is on: a client that does not trust the office root is refused.
    await expect(getJson(httpsGet, { port })).rejects.toThrow(/certificate/i);

    await proc.waitForLine(new RegExp(`Identity: ${shortFingerprint(leafFingerprint)}`));
    await proc.waitForLine(/The identity is the certificate you provided .*A renewed certificate is a new identity/);
    // Browsers get https links, the certificate's name first.
    const named = await proc.waitForLine(new RegExp(`https://hearth\\.test:${port}/ +\\(the certificate's name\\)`));
    expect(proc.lines.indexOf(named)).toBeLessThan(proc.lines.findIndex((l) => l.includes('Invite link')));
    await proc.waitForLine(new RegExp(`Invite link with every address: https://hearth\\.test:${port}/#`));
  });

  it('refuses a key that is not the certificate’s, saying so, with exit 2', async () => {
    const { code, said } = await refusedHost(['--tls-cert', files.chain, '--tls-key', files.otherKey]);
    expect(code).toBe(2);
    expect(said).toContain(`hearth host: ${files.otherKey} is not the key of ${files.chain} (the two files do not belong together).`);
    expect(said).toMatch(/Check --tls-cert .* and --tls-key/);
  });

  it('refuses a missing file, a file that is not PEM, and one flag without the other, with exit 2', async () => {
    const missing = join(ca.path, 'nowhere.pem');
    expect(await refusedHost(['--tls-cert', missing, '--tls-key', files.key])).toMatchObject({ code: 2, said: expect.stringContaining(`${missing} (--tls-cert) does not exist`) });
    const der = join(ca.path, 'host.der');
    openssl('x509', '-in', files.leaf, '-outform', 'der', '-out', der);
    expect(await refusedHost(['--tls-cert', der, '--tls-key', files.key])).toMatchObject({ code: 2, said: expect.stringContaining(`${der} is not a certificate in PEM form`) });
    expect(await refusedHost(['--tls-cert', files.chain])).toMatchObject({ code: 2, said: expect.stringContaining('--tls-cert and --tls-key go together') });
  });
});

describe('hearth host --encrypted-only', () => {
  it('says so when it opens and in /health, and still answers plain http for that', async () => {
    const { proc, port } = await host(['--encrypted-only']);
    await proc.waitForLine(/is open \(encrypted connections only\)/);
    await proc.waitForLine(/Join with `hearth join ADDRESS` or the Hearth app \(browsers cannot/);
    expect(await getJson(httpGet, { port })).toMatchObject({ tls: true, encryptedOnly: true });
  });
});
