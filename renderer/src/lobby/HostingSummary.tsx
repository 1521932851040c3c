// The lobby while this machine hosts a room: where others join, open it, or stop hosting
// (after asking, with how many people it would cut off).
import { useState } from 'react';
import { parseAddress } from '../../../common/address.ts';
import { shortLink } from '../../../common/invite.ts';
import type { HostingInfo } from '../../../common/ipc.ts';
import { probeRoom } from '../../../common/probe.ts';
import { BROWSERS_REFUSED } from '../room/sharing.ts';
import { StopHostingDialog } from '../ui/StopHostingDialog.tsx';
import { browserFetch } from './browser-fetch.ts';

export function HostingSummary({ info, onOpen, onStop }: { info: HostingInfo; onOpen(): void; onStop(): void }) {
  // The host is not in its room from here: everyone the room counts will be disconnected.
  const [confirm, setConfirm] = useState<{ others: number | undefined }>();
  const askFirst = async () => {
    const local = parseAddress(info.localUrl);
    const probe = local.ok ? await probeRoom(local.address, browserFetch) : undefined;
    setConfirm({ others: probe?.ok ? probe.health.members : undefined });
  };
  return (
    <div className="hosting-summary">
      <h2 id="host-title">You are hosting “{info.room}”</h2>
      <p className="muted">
        Others join at <strong>{shortLink(info.joinUrl)}</strong>
      </p>
      {info.encryptedOnly && <p className="small share-restricted">{BROWSERS_REFUSED}</p>}
      <div className="actions">
        <button type="button" className="primary" onClick={onOpen}>
          Open the room
        </button>
        <button type="button" className="danger-ghost" onClick={() => void askFirst()}>
          Stop hosting
        </button>
      </div>
      {confirm && <StopHostingDialog room={info.room} others={confirm.others} onCancel={() => setConfirm(undefined)} onStop={onStop} />}
    </div>
  );
}
