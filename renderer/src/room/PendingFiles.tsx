// The tray above the composer: each chosen file with a thumbnail (images) or an icon, its
// name and size, and what is happening to it: a progress bar with speed and time left while
// it is sent, "Waiting for the host…" while the host is away, the reason when it failed (with
// Retry), and Remove or Cancel. Nothing leaves the tray without the person seeing why.
import { useEffect, useState } from 'react';
import { formatBytes } from '../../../common/files.ts';
import { canPreview, fileKind } from '../files/file-kinds.ts';
import { progressWords } from '../files/transfer-rate.ts';
import type { TrayFile } from '../files/tray.ts';
import type { Uploads } from '../files/useUploads.ts';
import { FileIcon } from './FileIcon.tsx';

export function PendingFiles({ uploads, connected }: { uploads: Uploads; connected: boolean }) {
  if (uploads.tray.length === 0) return null;
  return (
    <ul className="tray" aria-label="Files to send">
      {uploads.tray.map((item) => (
        <TrayRow key={item.key} item={item} uploads={uploads} connected={connected} />
      ))}
    </ul>
  );
}

function TrayRow({ item, uploads, connected }: { item: TrayFile; uploads: Uploads; connected: boolean }) {
  const { file, state } = item;
  const name = file.name || 'file';
  const problem = state.kind === 'refused' || state.kind === 'failed' ? state.reason : undefined;
  // The bytes go over HTTP, the share over the room's socket: each says when it waits.
  const waiting = state.kind === 'waiting' || (!connected && state.kind === 'sharing');
  return (
    <li className={`tray-file${problem ? ' problem' : ''}`}>
      <Thumbnail file={file} />
      <div className="tray-body">
        <span className="tray-name" dir="auto" title={name}>
          {name}
        </span>
        {state.kind === 'checking' && <Bar label={`Checking ${name}`} value={state.done} max={file.size} words="Checking…" />}
        {(state.kind === 'sending' || state.kind === 'waiting') && (
          <Bar
            label={`Sending ${name}`}
            value={state.sent}
            max={file.size}
            words={waiting ? `Waiting for the host… ${progressWords(state.sent, file.size, undefined)}` : progressWords(state.sent, file.size, state.rate)}
          />
        )}
        {state.kind === 'ready' && <span className="tray-detail muted small">{formatBytes(file.size)}</span>}
        {state.kind === 'queued' && <span className="tray-detail muted small">{formatBytes(file.size)} · Waiting to send</span>}
        {state.kind === 'sharing' && <span className="tray-detail muted small">{waiting ? 'Sent. Waiting for the host to share it…' : 'Sharing…'}</span>}
        {problem && (
          <span className="tray-detail small form-error" role="alert">
            {problem}
          </span>
        )}
      </div>
      <div className="tray-actions">
        {state.kind === 'failed' && state.retryable && (
          <button type="button" className="small" aria-label={`Retry ${name}`} onClick={() => uploads.retry(item.key)}>
            Retry
          </button>
        )}
        {state.kind === 'ready' || state.kind === 'refused' || state.kind === 'failed' ? (
          <button type="button" className="ghost small" aria-label={`Remove ${name}`} title="Remove" onClick={() => uploads.remove(item.key)}>
            Remove
          </button>
        ) : state.kind !== 'sharing' ? (
          <button type="button" className="ghost small" aria-label={`Cancel ${name}`} onClick={() => uploads.cancel(item.key)}>
            Cancel
          </button>
        ) : null}
      </div>
    </li>
  );
}

function Bar({ label, value, max, words }: { label: string; value: number; max: number; words: string }) {
  const percent = max > 0 ? Math.min(100, (value / max) * 100) : 100;
  return (
    <>
      <div className="bar" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={value} aria-valuetext={words}>
        <div className="bar-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="tray-detail muted small">{words}</span>
    </>
  );
}

/** A picture of the file from the person's own disk (a blob: URL, let go when the row goes); an icon for anything else. */
function Thumbnail({ file }: { file: File }) {
  const [url, setUrl] = useState<string>();
  const preview = canPreview(file.type);
  useEffect(() => {
    if (!preview) return;
    const made = URL.createObjectURL(file);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [file, preview]);
  return (
    <span className="tray-thumb" aria-hidden="true">
      {url ? <img src={url} alt="" /> : <FileIcon kind={fileKind(file.type).kind} />}
    </span>
  );
}
