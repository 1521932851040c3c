// Who this host is, as people compare it: the short form (hyobc-tq2me-7xk4a-lw3fd) in
// sight, the full SHA-256 fingerprint one click away (a native disclosure, so keyboards and
// screen readers get it for free) and on hover. `hearth host` prints the same pair, and
// joiners see it on a first join and when it changes (common/identity.ts makes both from the
// host's certificate).
import type { HostIdentityInfo } from '../../../common/ipc.ts';

export function HostIdentity({ identity }: { identity: HostIdentityInfo }) {
  return (
    <details className="host-identity small">
      <summary title={`SHA-256 ${identity.sha256}`}>
        Identity <code>{identity.short}</code>
      </summary>
      <p className="muted">This host's identity in full (SHA-256 fingerprint):</p>
      <FingerprintLines sha256={identity.sha256} />
    </details>
  );
}

/** The full fingerprint (`3A:5F:…`) as 32 pairs in four lines of eight: easy to compare line by line, and narrow enough for any panel or a 320 px phone without wrapping mid-pair. */
export function FingerprintLines({ sha256, className }: { sha256: string; className?: string }) {
  const lines = fingerprintLines(sha256);
  return (
    <p className={className}>
      {lines.map((line, i) => (
        <span key={i}>
          <code>{line}</code>
          {i < lines.length - 1 && <br />}
        </span>
      ))}
    </p>
  );
}

function fingerprintLines(sha256: string): string[] {
  const pairs = sha256.split(':');
  const lines: string[] = [];
  for (let i = 0; i < pairs.length; i += 8) lines.push(pairs.slice(i, i + 8).join(':'));
  return lines;
}
