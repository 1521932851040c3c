// The HTTP side of a room under abuse: malformed requests, oversized headers and URLs,
// slow headers (slowloris). Each is refused or cut off, and the room keeps working.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameClient, startTestHost } from '../../test/support/host.ts';

type TestHost = Awaited<ReturnType<typeof startTestHost>>;
let host: TestHost;
afterEach(async () => host?.dispose());

/** Send raw bytes, collect the answer until the server closes (bounded). */
function raw(port: number, chunks: Array<string | Buffer>, options: { gapMs?: number; timeoutMs?: number } = {}): Promise<{ text: string; closedAfterMs: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (text += d));
    socket.on('error', () => {});
    const finish = () => resolve({ text, closedAfterMs: Date.now() - started });
    socket.on('close', finish);
    setTimeout(() => socket.destroy(), options.timeoutMs ?? 5000);
    let i = 0;
    const sendNext = () => {
      if (i >= chunks.length || socket.destroyed) return;
      socket.write(chunks[i++]!);
      setTimeout(sendNext, options.gapMs ?? 0);
    };
    socket.on('connect', sendNext);
  });
}

async function roomStillWorks(): Promise<void> {
  const client = await FrameClient.join(host.url, `Check${Date.now() % 1000}`);
  client.send({ type: 'chat', id: 'ok', text: 'still here' });
  expect((await client.next('ack')).id).toBe('ok');
  client.close();
}

describe('HTTP abuse', () => {
  it('answers a malformed request with 400 and closes', async () => {
    host = await startTestHost();
    for (const junk of ['HELLO\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', '\u0000\u0001\u0002\r\n\r\n', 'GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n']) {
      const { text } = await raw(host.port, [junk]);
      expect(text, JSON.stringify(junk)).toMatch(/^HTTP\/1\.1 (400|505)/);
    }
    await roomStillWorks();
  });

  it('refuses oversized headers and URLs with 431', async () => {
    host = await startTestHost();
    const longUrl = await raw(host.port, [`GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`]);
    expect(longUrl.text).toMatch(/^HTTP\/1\.1 431/);
    const headers = Array.from({ length: 2000 }, (_, i) => `X-Junk-${i}: ${'v'.repeat(20)}\r\n`).join('');
    const many = await raw(host.port, [`GET /health HTTP/1.1\r\nHost: x\r\n${headers}\r\n`]);
    expect(many.text).toMatch(/^HTTP\/1\.1 431/);
    await roomStillWorks();
  });

  it('cuts off a client that sends its headers too slowly', async () => {
    host = await startTestHost({ headersTimeoutMs: 1000 });
    const chunks = ['GET /health HTTP/1.1\r\n', 'Host: x\r\n', ...Array.from({ length: 40 }, (_, i) => `X-Slow-${i}: y\r\n`)];
    const { text, closedAfterMs } = await raw(host.port, chunks, { gapMs: 200, timeoutMs: 8000 });
    expect(closedAfterMs).toBeLessThan(4000);
    expect(text).not.toMatch(/^HTTP\/1\.1 200/);
    await roomStillWorks();
  });
});
