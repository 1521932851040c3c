import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import * as wsModule from 'ws';
import WebSocket, { WebSocketServer } from 'ws';
import { textFrame } from './frame.ts';

type SenderStatic = { frame(data: Buffer, options: Record<string, unknown>): Buffer[] };
const Sender = (wsModule as unknown as { Sender: SenderStatic }).Sender;

async function listen(): Promise<{ server: WebSocketServer; url: string }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  return { server, url: `ws://127.0.0.1:${(server.address() as { port: number }).port}` };
}

describe('textFrame', () => {
  it.each([0, 1, 125, 126, 1000, 65_535, 65_536, 200_000])('frames %i bytes exactly as ws does', (size) => {
    const text = 'é'.repeat(Math.floor(size / 2)) + 'x'.repeat(size % 2);
    const ours = textFrame(text);
    const theirs = Buffer.concat(Sender.frame(Buffer.from(text), { fin: true, opcode: 1, mask: false, rsv1: false, readOnly: false }));
    expect(ours.equals(theirs)).toBe(true);
  });

  it('is read back by a real ws client, several frames in one write to the upgrade socket', async () => {
    const { server, url } = await listen();
    // The request's socket is the one the upgrade handed to ws: the public path the host writes through.
    server.on('connection', (_ws, req: IncomingMessage) => {
      req.socket.write(Buffer.concat([textFrame('{"a":1}'), textFrame('ü'.repeat(300)), textFrame('z'.repeat(70_000))]));
    });
    const client = new WebSocket(url);
    const got: string[] = [];
    await new Promise<void>((resolve) => client.on('message', (d) => got.push(d.toString()) === 3 && resolve()));
    expect(got.map((g) => g.length)).toEqual([7, 300, 70_000]);
    client.close();
    server.close();
  });

  it('leaves the upgrade socket in order with ws’s own frames (ours, then ws’s close)', async () => {
    // WsPeer writes to the socket the upgrade gave ws; this holds only while ws writes its
    // frames (close, pong) to that same socket, as its handleUpgrade documents.
    const { server, url } = await listen();
    server.on('connection', (ws, req: IncomingMessage) => {
      req.socket.write(textFrame('first'));
      ws.close(4000, 'then close');
    });
    const client = new WebSocket(url);
    const seen: string[] = [];
    client.on('message', (d) => seen.push(`message ${d.toString()}`));
    await new Promise<void>((resolve) =>
      client.on('close', (code, reason) => {
        seen.push(`close ${code} ${reason.toString()}`);
        resolve();
      }),
    );
    expect(seen).toEqual(['message first', 'close 4000 then close']);
    server.close();
  });
});
