// A hostile or broken mDNS neighbour, run inside a test namespace: sends the given packets
// (raw bytes, as base64) to 224.0.0.251:5353 through one interface, a bounded number of
// rounds, then exits. Nothing here ever runs outside a namespace a test created.
import { createSocket } from 'node:dgram';

interface Forgery {
  /** IPv4 address of the namespace's interface to send through. */
  interface: string;
  packets: string[];
  rounds?: number;
  gapMs?: number;
}

const forgery = JSON.parse(process.argv[2] ?? '{}') as Forgery;
if (!forgery.interface.startsWith('10.231.')) throw new Error('mdns-forge only sends inside a test lab (10.231.x.x)');
const rounds = Math.min(forgery.rounds ?? 1, 600);
const gapMs = Math.max(forgery.gapMs ?? 50, 10);
const socket = createSocket({ type: 'udp4', reuseAddr: true });
await new Promise<void>((resolve) => socket.bind(5353, '0.0.0.0', resolve));
socket.setMulticastInterface(forgery.interface);
socket.setMulticastTTL(255);
for (let round = 0; round < rounds; round++) {
  for (const packet of forgery.packets) {
    await new Promise<void>((resolve, reject) =>
      socket.send(Buffer.from(packet, 'base64'), 5353, '224.0.0.251', (error) => (error ? reject(error) : resolve())),
    );
    await new Promise((r) => setTimeout(r, gapMs));
  }
}
process.stdout.write('sent\n');
socket.close();
