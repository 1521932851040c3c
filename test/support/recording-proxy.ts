// The "capture" for tests: a plain TCP relay on 127.0.0.1 that keeps every byte it passes,
// in both directions. This machine has no tcpdump and captures need root; a relay sees
// exactly what a listener on the wire would (it never terminates TLS), so a test can ask
// whether a chat's text crossed in clear.
import { startTcpRelay } from './tcp-relay.ts';

export interface RecordingProxy {
  /** Where clients connect (127.0.0.1). */
  readonly port: number;
  /** Everything clients sent (towards the target), in order, across connections. */
  sent(): Buffer;
  /** Everything the target answered, in order, across connections. */
  received(): Buffer;
  /** Whether `text` (UTF-8) crossed the relay in clear, either way. */
  saw(text: string): boolean;
  close(): Promise<void>;
}

/** Records at most this much each way: a test's chat fits many times, a runaway does not fill memory. */
const MAX_RECORDED = 16 * 1024 * 1024;

export async function startRecordingProxy(target: { host: string; port: number }): Promise<RecordingProxy> {
  const up: Buffer[] = [];
  const down: Buffer[] = [];
  const recorded = { up: 0, down: 0 };
  const record = (into: Buffer[], way: 'up' | 'down', chunk: Buffer): void => {
    if (recorded[way] + chunk.length > MAX_RECORDED) return;
    recorded[way] += chunk.length;
    into.push(Buffer.from(chunk));
  };
  const relay = await startTcpRelay(target, {
    onUp: (chunk) => record(up, 'up', chunk),
    onDown: (chunk) => void record(down, 'down', chunk),
  });
  const sent = () => Buffer.concat(up);
  const received = () => Buffer.concat(down);
  return {
    port: relay.port,
    sent,
    received,
    saw: (text) => {
      const needle = Buffer.from(text, 'utf8');
      return sent().includes(needle) || received().includes(needle);
    },
    close: () => relay.close(),
  };
}
