import { describe, expect, it } from 'vitest';
import * as wsModule from 'ws';
import WebSocket, { WebSocketServer } from 'ws';
import { textFrame } from './frame.ts';

type SenderStatic = { frame(data: Buffer, options: Record<string, unknown>): Buffer[] };
const Sender = (wsModule as unknown as { Sender: SenderStatic }).Sender;

describe('textFrame', () => {
  it.each([0, 1, 125, 126, 1000, 65_535, 65_536, 200_000])('frames %i bytes exactly as ws does', (size) => {
    const text = 'é'.repeat(Math.floor(size / 2)) + 'x'.repeat(size % 2);
    const ours = textFrame(text);
    const theirs = Buffer.concat(Sender.frame(Buffer.from(text), { fin: true, opcode: 1, mask: false, rsv1: false, readOnly: false }));
    expect(ours.equals(theirs)).toBe(true);
  });

  it('is read back by a real ws client, several frames in one write', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    server.on('connection', (ws) => {
      const socket = (ws as unknown as { _socket: { write(b: Buffer): void } })._socket;
      socket.write(Buffer.concat([textFrame('{"a":1}'), textFrame('ü'.repeat(300)), textFrame('z'.repeat(70_000))]));
    });
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as { port: number }).port}`);
    const got: string[] = [];
    await new Promise<void>((resolve) => client.on('message', (d) => got.push(d.toString()) === 3 && resolve()));
    expect(got.map((g) => g.length)).toEqual([7, 300, 70_000]);
    client.close();
    server.close();
  });
});
