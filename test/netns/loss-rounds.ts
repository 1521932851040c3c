// The 25%-loss figures without a process start in each measurement (on a busy machine a
// start costs seconds): one process runs several rounds of the real pieces.
//   finder <interface address> <room> <rounds>: a fresh RoomBrowser per round; prints how
//     long each took to list the room.
//   rooms <interface address> <rounds> <first port>: opens that many real rooms (host and
//     advertiser, as `hearth host` runs them), prints "up i", and closes room i when its
//     number is written to stdin, printing "stopping i" just before.
// Test namespaces only.
import { createInterface } from 'node:readline';
import { RoomAdvertiser } from '../../main/discovery/advertise.ts';
import { RoomBrowser } from '../../main/discovery/browse.ts';
import { startHost } from '../../main/host/server.ts';
import { MemoryHistoryStore } from '../../main/host/store/index.ts';

const [mode, address = '', ...rest] = process.argv.slice(2);
if (!address.startsWith('10.231.')) throw new Error('loss-rounds runs on a test namespace address (10.231.x.y) only');
const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

if (mode === 'finder') {
  const [room, rounds] = [rest[0]!, Number(rest[1])];
  for (let round = 0; round < rounds; round++) {
    const browser = new RoomBrowser({ interfaces: [address] });
    const started = Date.now();
    const found = new Promise<void>((resolve) => browser.on('up', (r) => r.room === room && resolve()));
    await browser.start();
    await Promise.race([found, new Promise((r) => setTimeout(r, 8000))]);
    print({ round, ms: Date.now() - started });
    await browser.stop();
  }
} else if (mode === 'rooms') {
  const [rounds, firstPort] = [Number(rest[0]), Number(rest[1])];
  const rooms = await Promise.all(
    Array.from({ length: rounds }, async (_, i) => {
      const host = await startHost({ room: `Leaving ${i}`, store: new MemoryHistoryStore(), port: firstPort + i });
      const advertiser = new RoomAdvertiser({ room: `Leaving ${i}`, port: host.port, hostId: `leaving${i}room`, lock: false, users: 0, interfaces: [address] });
      await advertiser.start();
      print({ up: i });
      return {
        close: async () => {
          await advertiser.stop();
          await host.close();
        },
      };
    }),
  );
  createInterface({ input: process.stdin }).on('line', (line) => {
    const i = Number(line);
    print({ stopping: i });
    void rooms[i]!.close().then(() => print({ closed: i }));
  });
}
