import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reconnectDelay } from '../client.ts';
import { Outbox, utf8Length } from './outbox.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function setup(options: { window?: { messages: number; bytes: number }; open?: boolean } = {}) {
  const wire: string[] = [];
  const told: unknown[][] = [];
  let open = options.open ?? true;
  const outbox = new Outbox({
    window: options.window,
    retryDelayMs: 100,
    ackTimeoutMs: 1000,
    random: () => 0,
    now: () => Date.now(),
    channel: () => (open ? { send: (data: string) => void wire.push(JSON.parse(data).id) } : undefined),
    acked: (id, seq) => void told.push(['acked', id, seq]),
    failed: (id, reason) => void told.push(['failed', id, reason]),
    drained: () => void told.push(['drained']),
  });
  const add = (...ids: string[]) => ids.forEach((id) => outbox.add({ id, text: `text ${id}`, kind: 'text' }));
  return { outbox, wire, told, add, setOpen: (value: boolean) => (open = value) };
}

describe('the outbox', () => {
  it('sends in order through the window, each ack letting the next one go', () => {
    const { outbox, wire, told, add } = setup({ window: { messages: 2, bytes: 1 << 20 } });
    add('a', 'b', 'c');
    expect(wire).toEqual(['a', 'b']);
    outbox.acked('a', 1);
    expect(wire).toEqual(['a', 'b', 'c']);
    outbox.acked('b', 2);
    outbox.acked('c', 3);
    outbox.acked('c', 3); // a second ack for a retry
    expect(told).toEqual([['acked', 'a', 1], ['acked', 'b', 2], ['acked', 'c', 3], ['drained']]);
    expect(outbox.pending).toEqual([]);
  });

  it('bounds the bytes in flight, but always lets one message go', () => {
    const { wire, add } = setup({ window: { messages: 16, bytes: 10 } });
    add('a', 'b');
    expect(wire).toEqual(['a']);
  });

  it('holds everything while the host says "later", then sends the same message again', () => {
    const { outbox, wire, add } = setup();
    add('a');
    outbox.later('a', 1);
    add('b');
    expect(wire).toEqual(['a']);
    vi.advanceTimersByTime(100);
    expect(wire).toEqual(['a', 'a', 'b']);
  });

  it('drops a message the host refuses, and says why', () => {
    const { outbox, told, add } = setup();
    add('a');
    outbox.refused('a', 'message is too long');
    expect(told).toEqual([['failed', 'a', 'message is too long'], ['drained']]);
  });

  it('resends what an ack skipped over: an older host dropped it unseen', () => {
    const { outbox, wire, add } = setup();
    add('a', 'b');
    outbox.acked('b', 1);
    vi.advanceTimersByTime(100);
    expect(wire).toEqual(['a', 'b', 'a']);
  });

  it('resends a message unanswered for the ack timeout, and keeps everything for a new connection', () => {
    const { outbox, wire, add, setOpen } = setup();
    add('a');
    vi.advanceTimersByTime(1000);
    expect(wire).toEqual(['a', 'a']);
    setOpen(false);
    outbox.forgetInFlight();
    expect(outbox.inFlight).toBe(0);
    setOpen(true);
    outbox.pump();
    expect(wire).toEqual(['a', 'a', 'a']);
    expect(outbox.pending.map((m) => m.id)).toEqual(['a']);
  });

  it('counts UTF-8 bytes, surrogate pairs included', () => {
    expect(utf8Length('a')).toBe(1);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('€')).toBe(3);
    expect(utf8Length('🔥')).toBe(4);
  });
});

describe('the reconnect backoff', () => {
  it('doubles up to its ceiling, with jitter on the upper half', () => {
    const backoff = { baseMs: 500, maxMs: 5000 };
    expect(reconnectDelay(0, 0, backoff)).toBe(250);
    expect(reconnectDelay(0, 1, backoff)).toBe(500);
    expect(reconnectDelay(3, 1, backoff)).toBe(4000);
    expect(reconnectDelay(10, 0.5, backoff)).toBe(3750);
    expect(reconnectDelay(10, 1)).toBe(5000);
  });
});
