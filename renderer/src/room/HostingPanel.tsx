// For the person hosting: where others join (every address, best first), a link to copy,
// and a QR code a phone can scan to open the web client (not for a room that takes only
// encrypted connections: browsers on that link are refused, sharing.ts), and the switch
// that makes it one while it is open.
import { useState } from 'react';
import type { HostingInfo } from '../../../common/ipc.ts';
import type { AppBridge } from '../bridge/index.ts';
import { HostIdentity } from '../ui/HostIdentity.tsx';
import { QrCode } from '../ui/QrCode.tsx';
import { NetworkCheckDialog } from './NetworkCheckDialog.tsx';
import { ShareLink } from '../ui/ShareLink.tsx';
import { sharing } from './sharing.ts';
import { EncryptedOnlySwitch, type EncryptedOnlyTools } from './EncryptedOnlySwitch.tsx';
import { StopHostingDialog } from '../ui/StopHostingDialog.tsx';

/** What the shell offers the host beside the link: the dashboard, the network check, the encrypted-only switch. */
export type HostingTools = Pick<AppBridge, 'canOpenDashboard' | 'openDashboard' | 'canCheckNetwork' | 'checkNetwork'> & EncryptedOnlyTools;

/** `others`: how many people besides the host are in the room (Stop hosting says they will be disconnected). */
export function HostingPanel({ info, others, onStop, tools }: { info: HostingInfo; others: number; onStop(): void; tools: HostingTools }) {
  const [confirming, setConfirming] = useState(false);
  const [checking, setChecking] = useState(false);
  const share = sharing(info);
  return (
    <section className="hosting-panel" aria-labelledby="hosting-title">
      <h2 id="hosting-title">You are hosting</h2>
      <p className={share.restricted ? 'small share-restricted' : 'muted small'}>{share.invitation}</p>
      {share.qrCode && (
        <div className="qr-wrap">
          <QrCode text={info.joinUrl} />
        </div>
      )}
      <ShareLink joinUrl={info.joinUrl} addresses={info.addresses} />
      <HostIdentity identity={info.identity} />
      <p className={`discovery ${info.discovery.state}`} role="status">
        {info.discovery.detail}
      </p>
      {/* Things that keep people out (e.g. the Windows firewall): the host must see them. */}
      {info.warnings?.map((warning) => (
        <p key={warning} className="discovery unavailable" role="alert">
          {warning}
        </p>
      ))}
      {info.passwordProtected && <p className="muted small">🔒 Password protected</p>}
      <EncryptedOnlySwitch on={info.encryptedOnly} tools={tools} />
      {tools.canCheckNetwork && (
        <button type="button" className="ghost network-check-open" onClick={() => setChecking(true)}>
          Why can't they see my room?
        </button>
      )}
      <div className="actions hosting-actions">
        {tools.canOpenDashboard && (
          <button type="button" className="ghost" onClick={() => void tools.openDashboard()}>
            Open dashboard
          </button>
        )}
        <button type="button" className="danger-ghost" onClick={() => setConfirming(true)}>
          Stop hosting
        </button>
      </div>
      {checking && <NetworkCheckDialog run={tools.checkNetwork} onClose={() => setChecking(false)} />}
      {confirming && <StopHostingDialog room={info.room} others={others} onCancel={() => setConfirming(false)} onStop={onStop} />}
    </section>
  );
}
