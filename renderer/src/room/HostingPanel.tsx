// For the person hosting: where others join (every address, best first), a link to copy,
// and a QR code a phone can scan to open the web client.
import { useState } from 'react';
import type { HostingInfo } from '../../../common/ipc.ts';
import { QrCode } from '../ui/QrCode.tsx';

export function HostingPanel({ info, onStop, onDashboard }: { info: HostingInfo; onStop(): void; onDashboard(): void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(info.joinUrl);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setCopied(false);
    }
  };
  return (
    <section className="hosting-panel" aria-labelledby="hosting-title">
      <h2 id="hosting-title">You are hosting</h2>
      <p className="muted small">Others join from the Hearth app, or from any browser with this link:</p>
      <div className="link-row">
        <code className="join-link">{info.joinUrl}</code>
        <button type="button" className="ghost small" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy link'}
        </button>
      </div>
      <div className="qr-wrap">
        <QrCode text={info.joinUrl} />
      </div>
      <ul className="addresses" aria-label="Addresses">
        {info.addresses.map((a) => (
          <li key={`${a.interface}-${a.address}`}>
            <code>{a.url}</code>
            <span className="muted small">
              {a.interface}
              {a.label ? ` · ${a.label}` : ''}
            </span>
          </li>
        ))}
        {info.addresses.length === 0 && <li className="muted small">No network address: only this computer can join.</li>}
      </ul>
      <p className={`discovery ${info.discovery.state}`} role="status">
        {info.discovery.detail}
      </p>
      {info.passwordProtected && <p className="muted small">🔒 Password protected</p>}
      <div className="actions hosting-actions">
        <button type="button" className="ghost" onClick={onDashboard}>
          Open dashboard
        </button>
        <button type="button" className="danger-ghost" onClick={onStop}>
          Stop hosting
        </button>
      </div>
    </section>
  );
}
