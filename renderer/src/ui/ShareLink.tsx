// Where others join: the best link with a copy button, and every address below it. The
// link shown is the short one, to read out or type; Copy gives the invite link, which carries
// every address (common/invite.ts).
import { useState } from 'react';
import { shortLink } from '../../../common/invite.ts';
import type { HostAddress } from '../../../common/ipc.ts';

export function ShareLink({ joinUrl, addresses }: { joinUrl: string; addresses: HostAddress[] }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(joinUrl);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setCopied(false);
    }
  };
  return (
    <>
      <div className="link-row">
        <JoinLink url={shortLink(joinUrl)} />
        <button type="button" className="ghost small" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy link'}
        </button>
      </div>
      <ul className="addresses" aria-label="Addresses">
        {addresses.map((a) => (
          <li key={`${a.interface}-${a.address}`}>
            <code>{a.url}</code>
            <span className="muted small">
              {a.interface}
              {a.label ? ` · ${a.label}` : ''}
            </span>
          </li>
        ))}
        {addresses.length === 0 && <li className="muted small">No network address: only this computer can join.</li>}
      </ul>
    </>
  );
}

/** The port is the part people get wrong: a narrow panel may wrap the link, never inside ":port/". */
function JoinLink({ url }: { url: string }) {
  const [, head = url, port = ''] = /^(.*?)(:\d+\/?)?$/.exec(url) ?? [];
  return (
    <code className="join-link">
      {head}
      <span className="port">{port}</span>
    </code>
  );
}
