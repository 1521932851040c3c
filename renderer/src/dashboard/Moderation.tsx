// Acting on the room: lock or unlock it, set the topic, ban an address and lift bans, clear
// the history (after a confirmation, which asks whether its files go too), export it.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { DashboardSnapshot, ModerationRequest } from '../../../common/ipc.ts';
import { LIMITS } from '../../../common/protocol.ts';
import { BanList } from './BanList.tsx';
import { deleteFilesTooWords, filesInHistory } from './files.ts';

export function Moderation({
  snapshot,
  act,
  onExport,
}: {
  snapshot: DashboardSnapshot;
  act(request: ModerationRequest): Promise<boolean>;
  onExport(format: 'json' | 'markdown'): void;
}) {
  const [password, setPassword] = useState('');
  const [topic, setTopic] = useState(snapshot.topic);
  const [address, setAddress] = useState('');
  const [confirmClear, setConfirmClear] = useState(false);
  const clearButton = useRef<HTMLButtonElement>(null);
  const confirmWasOpen = useRef(false);
  // The confirmation stands where "Clear history…" was: once it closes, the focus goes back there (not to the page's top).
  useEffect(() => {
    if (confirmClear) confirmWasOpen.current = true;
    else if (confirmWasOpen.current) clearButton.current?.focus();
  }, [confirmClear]);
  const submit = (request: ModerationRequest, after?: () => void) => (event: FormEvent) => {
    event.preventDefault();
    void act(request).then((ok) => ok && after?.());
  };
  return (
    <section className="panel moderation" aria-labelledby="moderation-title">
      <h2 id="moderation-title">Moderation</h2>
      <div className="moderation-grid">
        {snapshot.locked ? (
          <form onSubmit={submit({ action: 'unlock' })} className="mod-card">
            <h3>Room is locked</h3>
            <p className="muted small">New people need the password; those inside stay.</p>
            <button type="submit" className="ghost">
              Unlock the room
            </button>
          </form>
        ) : (
          <form onSubmit={submit({ action: 'lock', password }, () => setPassword(''))} className="mod-card">
            <h3>Lock the room</h3>
            <div className="inline">
              <input type="password" aria-label="New room password" placeholder="Password" value={password} autoComplete="new-password" onChange={(e) => setPassword(e.target.value)} />
              <button type="submit" className="primary" disabled={!password}>
                Lock
              </button>
            </div>
          </form>
        )}
        <form onSubmit={submit({ action: 'topic', topic })} className="mod-card">
          <h3>Topic</h3>
          <div className="inline">
            <input aria-label="Room topic" placeholder="What everyone should know" maxLength={LIMITS.maxTopicChars} value={topic} onChange={(e) => setTopic(e.target.value)} />
            <button type="submit" className="ghost">
              Set topic
            </button>
          </div>
        </form>
        <form onSubmit={submit({ action: 'ban', target: address }, () => setAddress(''))} className="mod-card">
          <h3>Ban an address</h3>
          <div className="inline">
            <input aria-label="Address to ban" placeholder="192.168.1.23" value={address} onChange={(e) => setAddress(e.target.value)} />
            <button type="submit" className="danger-ghost" disabled={!address.trim()}>
              Ban address
            </button>
          </div>
        </form>
        <BanList bans={snapshot.bans} act={act} />
        <div className="mod-card">
          <h3>History</h3>
          {confirmClear ? (
            <ClearHistoryConfirm
              carried={filesInHistory(snapshot.files)}
              onClear={(deleteFiles) => void act({ action: 'clear_history', ...(deleteFiles && { deleteFiles: true }) }).then(() => setConfirmClear(false))}
              onKeep={() => setConfirmClear(false)}
            />
          ) : (
            <div className="inline">
              <button type="button" className="ghost" onClick={() => onExport('json')}>
                Export JSON
              </button>
              <button type="button" className="ghost" onClick={() => onExport('markdown')}>
                Export Markdown
              </button>
              <button type="button" className="danger-ghost" ref={clearButton} onClick={() => setConfirmClear(true)}>
                Clear history…
              </button>
            </div>
          )}
        </div>
      </div>
    </section>
  );
}

/**
 * "Delete every message for everyone?", and, when the history's messages carry files kept
 * on the host, whether those go too: unticked each time it opens (files stay unless asked).
 */
export function ClearHistoryConfirm({ carried, onClear, onKeep }: { carried: { count: number; bytes: number }; onClear(deleteFiles: boolean): void; onKeep(): void }) {
  const [deleteFiles, setDeleteFiles] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  // The button that opened it is gone: the focus comes to the choice that changes nothing.
  useEffect(() => keep.current?.focus(), []);
  return (
    <div className="confirm clear-confirm" role="alertdialog" aria-label="Confirm clearing the history">
      <p className="small">Delete every message for everyone?</p>
      {carried.count > 0 && (
        <label className="check small">
          <input type="checkbox" checked={deleteFiles} onChange={(e) => setDeleteFiles(e.target.checked)} />
          <span>{deleteFilesTooWords(carried)}</span>
        </label>
      )}
      <div className="inline">
        <button type="button" className="danger-ghost" onClick={() => onClear(deleteFiles && carried.count > 0)}>
          Yes, clear it
        </button>
        <button type="button" className="ghost" ref={keep} onClick={onKeep}>
          Keep it
        </button>
      </div>
    </div>
  );
}
