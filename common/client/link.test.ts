import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Link, type LinkEvents } from './link.ts';
import { FakeSocket } from '../../test/support/fake-socket.ts';

let now = 0;
beforeEach(() => {
  vi.useFakeTimers();
  now = 0;
});
afterEach(() => vi.useRealTimers());

function start() {
  const socket = new FakeSocket();
  const seen: unknown[][] = [];
  const events: LinkEvents = {
    frame: (frame) => void seen.push(['frame', frame.type]),
    closed: (code, opened) => void seen.push(['closed', code, opened]),
    gaveUp: (cause) => void seen.push(['gaveUp', cause]),
  };
  const link = new Link(socket, { connectTimeoutMs: 1000, heartbeatMs: 100, now: () => now }, events);
  const advance = (ms: number) => {
    now += ms;
    vi.advanceTimersByTime(ms);
  };
  return { socket, link, seen, advance };
}

describe('one socket’s life', () => {
  it('gives up a socket that does not open in time, and closes it', () => {
    const { socket, seen, advance } = start();
    advance(1000);
    expect(seen).toEqual([['gaveUp', 'unreachable']]);
    expect(socket.closedWith).toEqual([1000, 'connect timeout']);
    expect(socket.onclose).toBeNull(); // nothing more is heard from it
  });

  it('pings while open, and gives the host up after 2.5 intervals of silence', () => {
    const { socket, seen, advance } = start();
    socket.open();
    advance(100);
    expect(socket.sent).toEqual([JSON.stringify({ type: 'ping', id: 1 })]);
    advance(100); // 200 ms of silence: still within 2.5 intervals
    expect(seen).toEqual([]);
    advance(100);
    expect(seen).toEqual([['gaveUp', 'no_answer']]);
  });

  it('counts any frame as the host being there, and passes frames it knows on', () => {
    const { socket, seen, advance } = start();
    socket.open();
    for (let i = 0; i < 10; i++) {
      advance(100);
      socket.onmessage?.({ data: JSON.stringify({ type: 'pong', id: i + 1 }) });
    }
    socket.onmessage?.({ data: '{"type":"from_the_future"}' });
    expect(seen).toEqual(Array.from({ length: 10 }, () => ['frame', 'pong']));
  });

  it('reports a close once, with whether the socket had opened', () => {
    const { socket, seen } = start();
    socket.onclose?.({ code: 1006, reason: '' });
    expect(seen).toEqual([['closed', 1006, false]]);
    const second = start();
    second.socket.open();
    second.socket.onclose?.({ code: 1001, reason: '' });
    expect(second.seen).toEqual([['closed', 1001, true]]);
  });

  it('sends only while open', () => {
    const { socket, link } = start();
    link.send('early');
    socket.open();
    link.send('now');
    link.drop('bye');
    link.send('late');
    expect(socket.sent).toEqual(['now']);
  });
});
