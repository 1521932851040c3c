// The baseline Hearth is measured against: a minimal `ws` broadcast server of the kind a
// tutorial writes. Same protocol subset (hello, join → welcome + history, chat → ack +
// message), but one JSON.stringify and one send per client per message, no batching.
//   node bench/naive-server.ts   → prints {"port": N}
import { WebSocketServer, type WebSocket } from 'ws';

const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', path: '/ws', perMessageDeflate: false });
const members = new Set<WebSocket>();
let seq = 0;
let nextUser = 0;

wss.on('connection', (ws) => {
  ws.send(JSON.stringify({ type: 'hello', v: 1, room: 'naive', passwordRequired: false, nonce: 'n', salt: 's' }));
  let me: { id: string; name: string } | undefined;
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as { type: string; id?: string; text?: string; name?: string };
    if (frame.type === 'join') {
      me = { id: `u${++nextUser}`, name: frame.name || `user${nextUser}` };
      members.add(ws);
      ws.send(JSON.stringify({ type: 'welcome', you: { ...me, since: Date.now() }, room: 'naive', members: [], lastSeq: seq }));
      ws.send(JSON.stringify({ type: 'history', messages: [], mode: 'latest', complete: true }));
    } else if (frame.type === 'chat' && me) {
      const message = { seq: ++seq, id: frame.id, from: me, text: frame.text, ts: Date.now(), kind: 'text' };
      ws.send(JSON.stringify({ type: 'ack', id: frame.id, seq: message.seq }));
      for (const member of members) member.send(JSON.stringify({ type: 'message', message }));
    }
  });
  ws.on('close', () => members.delete(ws));
});
wss.on('listening', () => process.stdout.write(`${JSON.stringify({ port: (wss.address() as { port: number }).port })}\n`));
