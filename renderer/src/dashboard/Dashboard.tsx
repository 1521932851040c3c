// The host's dashboard: what is happening in the room, live, and the means to act on it.
// Data arrives over the bridge (only the desktop shell has a dashboard): a snapshot at most
// once a second, activity as it happens. Nothing polls.
import { useEffect, useMemo, useState } from 'react';
import { ACTIVITY_KEEP } from '../../../common/dashboard.ts';
import type { ActivityEntry, DashboardSnapshot, ModerationRequest } from '../../../common/ipc.ts';
import type { AppBridge } from '../bridge/index.ts';
import { Logo } from '../ui/Logo.tsx';
import { QrCode } from '../ui/QrCode.tsx';
import { ShareLink } from '../ui/ShareLink.tsx';
import { StopHostingDialog } from '../ui/StopHostingDialog.tsx';
import { ActivityLog } from './ActivityLog.tsx';
import { ActivityChart } from './Chart.tsx';
import { FilesPanel } from './FilesPanel.tsx';
import { HostIdentity } from '../ui/HostIdentity.tsx';
import { Moderation } from './Moderation.tsx';
import { NotEncryptedCount, PeopleTable } from './PeopleTable.tsx';

/** What the dashboard asks of its shell. */
export type DashboardBridge = Pick<AppBridge, 'canOpenDashboard' | 'dashboard' | 'moderate' | 'deleteFile' | 'exportHistory' | 'stopHosting' | 'onDashboardSnapshot' | 'onDashboardActivity' | 'onHostChanged'>;

export function Dashboard({ bridge }: { bridge: DashboardBridge }) {
  const [snapshot, setSnapshot] = useState<DashboardSnapshot | null | undefined>(undefined);
  const [activity, setActivity] = useState<ActivityEntry[]>([]);
  const [notice, setNotice] = useState<{ text: string; tone: 'ok' | 'error' }>();

  useEffect(() => {
    if (!bridge.canOpenDashboard) return;
    document.title = 'Hearth — Dashboard';
    void bridge.dashboard().then((result) => {
      if (!result.ok) return setSnapshot(null);
      setSnapshot(result.value?.snapshot ?? null);
      setActivity(result.value?.activity ?? []);
    });
    const offs = [
      bridge.onDashboardSnapshot((s) => setSnapshot(s)),
      bridge.onDashboardActivity((entry) => setActivity((list) => (list.length >= ACTIVITY_KEEP ? [...list.slice(-ACTIVITY_KEEP + 1), entry] : [...list, entry]))),
      bridge.onHostChanged((info) => {
        if (!info) setSnapshot(null);
        else void bridge.dashboard().then((r) => r.ok && r.value && setSnapshot(r.value.snapshot));
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [bridge]);

  if (!bridge.canOpenDashboard) {
    return (
      <div className="dash-empty">
        <Logo size={48} />
        <h1>The dashboard is part of the Hearth app</h1>
        <p className="muted">It shows the room you host: open it from the app's Room menu.</p>
      </div>
    );
  }
  if (snapshot === undefined) return <div className="dash-empty" role="status" aria-label="Loading" />;
  if (snapshot === null) {
    return (
      <div className="dash-empty">
        <Logo size={48} />
        <h1>Not hosting</h1>
        <p className="muted">Host a room from the Hearth window; its dashboard appears here, live.</p>
      </div>
    );
  }

  const act = async (request: ModerationRequest) => {
    const result = await bridge.moderate(request);
    setNotice(result.ok ? { text: result.value, tone: 'ok' } : { text: result.error, tone: 'error' });
    return result.ok;
  };
  const deleteFile = async (fileId: string) => {
    const result = await bridge.deleteFile(fileId);
    setNotice(result.ok ? { text: result.value, tone: 'ok' } : { text: result.error, tone: 'error' });
    return result.ok;
  };

  return (
    <div className="dashboard">
      <Header snapshot={snapshot} onStop={() => void bridge.stopHosting()} />
      {notice && (
        <p className={`dash-notice ${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
          {notice.text}
        </p>
      )}
      <Tiles snapshot={snapshot} />
      <section className="panel chart-panel" aria-labelledby="chart-title">
        <h2 id="chart-title">Last 15 minutes</h2>
        <ActivityChart series={snapshot.series} />
      </section>
      <div className="dash-columns">
        <section className="panel" aria-labelledby="people-title">
          <h2 id="people-title">
            People <span className="count">{snapshot.people.length}</span>
            <NotEncryptedCount people={snapshot.people} />
          </h2>
          <PeopleTable people={snapshot.people} now={snapshot.now} hostMemberId={snapshot.hostMemberId} onKick={(name, reason) => act({ action: 'kick', target: name, ...(reason && { reason }) })} onBan={(name, reason) => act({ action: 'ban', target: name, ...(reason && { reason }) })} />
        </section>
        <section className="panel" aria-labelledby="activity-title">
          <h2 id="activity-title">Activity</h2>
          <ActivityLog entries={activity} />
        </section>
      </div>
      {snapshot.files && <FilesPanel files={snapshot.files} onDelete={deleteFile} />}
      <Moderation snapshot={snapshot} act={act} onExport={(format) => void exportHistory(bridge, format, setNotice)} />
    </div>
  );
}

function Header({ snapshot, onStop }: { snapshot: DashboardSnapshot; onStop(): void }) {
  const uptime = useUptime(snapshot.startedAt, snapshot.now);
  const [confirmStop, setConfirmStop] = useState(false);
  // Everyone but the host's own window is cut off.
  const others = snapshot.people.filter((p) => p.id !== snapshot.hostMemberId).length;
  return (
    <header className="dash-header">
      <div className="dash-title">
        <Logo size={30} />
        <div>
          <h1 dir="auto">
            {snapshot.room} {snapshot.locked && <span className="badge lock-badge">🔒 Locked</span>}
          </h1>
          <p className="muted small">
            Up {uptime} · {snapshot.discovery.detail}
            {snapshot.topic && (
              <>
                {' '}
                · Topic: <span dir="auto">{snapshot.topic}</span>
              </>
            )}
          </p>
        </div>
      </div>
      <div className="dash-share">
        <div className="dash-addresses">
          <ShareLink joinUrl={snapshot.joinUrl} addresses={snapshot.addresses} />
          <HostIdentity identity={snapshot.identity} />
        </div>
        <div className="qr-wrap small-qr">
          <QrCode text={snapshot.joinUrl} size={96} />
        </div>
        <button type="button" className="danger-ghost" onClick={() => setConfirmStop(true)}>
          Stop hosting
        </button>
      </div>
      {confirmStop && (
        <StopHostingDialog
          room={snapshot.room}
          others={others}
          onCancel={() => setConfirmStop(false)}
          onStop={() => {
            setConfirmStop(false);
            onStop();
          }}
        />
      )}
    </header>
  );
}

function Tiles({ snapshot }: { snapshot: DashboardSnapshot }) {
  const c = snapshot.counters;
  const tiles: Array<[string, string, string]> = [
    ['People now', String(c.people), `peak ${c.peak}`],
    ['Messages', c.messagesTotal.toLocaleString(), `${c.messagesPerMinute} in the last minute`],
    ['Traffic in', `${bytes(c.bytesInPerSecond)}/s`, ''],
    ['Traffic out', `${bytes(c.bytesOutPerSecond)}/s`, ''],
    // Over budget is not rejected: the host reads that connection more slowly (nothing is lost).
    ['Bad frames', String(c.rejectedBadInput), `${c.slowedDown} slowed down (over budget)`],
    ['Reconnects', String(c.reconnects), 'people who came back'],
  ];
  return (
    <ul className="tiles" aria-label="Room figures">
      {tiles.map(([label, value, note]) => (
        <li key={label} className="tile" aria-label={`${label}: ${value}`}>
          <span className="tile-label">{label}</span>
          <span className="tile-value">{value}</span>
          <span className="tile-note muted small">{note}</span>
        </li>
      ))}
    </ul>
  );
}

function useUptime(startedAt: number, now: number): string {
  return useMemo(() => {
    const s = Math.max(0, Math.floor((now - startedAt) / 1000));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s % 60} s` : `${s} s`;
  }, [startedAt, now]);
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A download: Electron shows its save dialog for it, a browser saves it. */
async function exportHistory(bridge: DashboardBridge, format: 'json' | 'markdown', setNotice: (n: { text: string; tone: 'ok' | 'error' }) => void) {
  const result = await bridge.exportHistory(format);
  if (!result.ok) return setNotice({ text: result.error, tone: 'error' });
  const url = URL.createObjectURL(new Blob([result.value.content], { type: result.value.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = result.value.filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  setNotice({ text: `Exported ${result.value.filename}`, tone: 'ok' });
}
