// An mDNS neighbour for the namespace tests: prints every packet it hears as a JSON line
// (with the time since it started), and sends every JSON packet written to its stdin: a
// query or a response as multicast-dns takes them, or {"raw": base64} for a hand-made
// (possibly malformed) datagram. Test namespaces only:
//   node test/netns/mdns-sniff.ts <interface address>
import { createSocket } from 'node:dgram';
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

interface Mdns extends EventEmitter {
  query(packet: unknown): void;
  respond(packet: unknown): void;
}
// bonjour-service's own transport, loaded untyped (it ships no types).
const makeMdns = createRequire(import.meta.url)('multicast-dns') as (options: object) => Mdns;

const interfaceAddress = process.argv[2] ?? '';
if (!interfaceAddress.startsWith('10.231.')) throw new Error('mdns-sniff runs on a test namespace address (10.231.x.y) only');

const started = Date.now();
const mdns = makeMdns({ interface: interfaceAddress, bind: '0.0.0.0', loopback: false });

function plain(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

mdns.on('packet', (packet: object, rinfo: { address: string; port: number }) => {
  process.stdout.write(`${JSON.stringify({ t: Date.now() - started, from: rinfo.address, port: rinfo.port, ...(plain(packet) as object) })}\n`);
});
mdns.on('warning', () => {});
mdns.on('ready', () => process.stdout.write(`${JSON.stringify({ ready: true })}\n`));

function sendRaw(bytes: Buffer): void {
  const socket = createSocket({ type: 'udp4', reuseAddr: true });
  socket.bind(0, interfaceAddress, () => {
    socket.setMulticastInterface(interfaceAddress);
    socket.send(bytes, 5353, '224.0.0.251', () => socket.close());
  });
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const packet = JSON.parse(line) as { raw?: string; type?: string };
  if (packet.raw) sendRaw(Buffer.from(packet.raw, 'base64'));
  else if (packet.type === 'query') mdns.query(packet);
  else mdns.respond(packet);
});
