// "Why can't they see my room?": the host's network check (main/network-check/network-check.ts),
// run when the dialog opens and again on demand, its findings grouped by what they concern,
// each with what to do. The word before each finding says its weight, not only its colour.
import { useCallback, useEffect, useState } from 'react';
import type { NetworkCheckReport, NetworkFinding, Result } from '../../../common/ipc.ts';
import { Dialog } from '../ui/Dialog.tsx';

const LEVEL_WORD: Record<NetworkFinding['level'], string> = { ok: 'OK', note: 'Note', warning: 'Warning', blocking: 'Blocks people' };

type State = { kind: 'checking' } | { kind: 'done'; report: NetworkCheckReport } | { kind: 'failed'; error: string };

function grouped(findings: NetworkFinding[]): Array<[string, NetworkFinding[]]> {
  const groups = new Map<string, NetworkFinding[]>();
  for (const finding of findings) groups.set(finding.about, [...(groups.get(finding.about) ?? []), finding]);
  return [...groups];
}

/** `run`: the shell's network check (AppBridge.checkNetwork), which answers a Result and never rejects. */
export function NetworkCheckDialog({ run, onClose }: { run(): Promise<Result<NetworkCheckReport>>; onClose(): void }) {
  const [state, setState] = useState<State>({ kind: 'checking' });
  const check = useCallback(() => {
    setState({ kind: 'checking' });
    void run().then((result) => setState(result.ok ? { kind: 'done', report: result.value } : { kind: 'failed', error: result.error }));
  }, [run]);
  useEffect(check, [check]);

  return (
    <Dialog
      title="Why can't they see my room?"
      onClose={onClose}
      className="network-check"
      footer={
        <>
          {/* aria-disabled, not disabled: a disabled button drops the focus, and Escape with it. */}
          <button type="button" className="ghost" onClick={() => state.kind !== 'checking' && check()} aria-disabled={state.kind === 'checking'}>
            Check again
          </button>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </>
      }
    >
      <p role="status" className={state.kind === 'done' && state.report.blocking ? 'check-summary blocking' : 'check-summary'}>
        {state.kind === 'checking'
          ? 'Checking this machine’s network… (a few seconds)'
          : state.kind === 'failed'
            ? `The check could not run: ${state.error}`
            : state.report.blocking
              ? 'Something keeps people out: see “Blocks people” below.'
              : 'Nothing found that keeps people out.'}
      </p>
      {state.kind === 'done' &&
        grouped(state.report.findings).map(([about, findings]) => (
          <section key={about} className="check-group" aria-label={about}>
            <h3>{about}</h3>
            <ul>
              {findings.map((finding, index) => (
                <li key={index} className={`finding ${finding.level}`}>
                  <span className="finding-level">{LEVEL_WORD[finding.level]}:</span> {finding.text}
                  {finding.advice && <p className="finding-advice">{finding.advice}</p>}
                </li>
              ))}
            </ul>
          </section>
        ))}
    </Dialog>
  );
}
