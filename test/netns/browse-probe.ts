// A RoomBrowser run inside a test namespace, printing what it reports as JSON lines, so a
// test can watch the browser itself (its status, its counters) with short timers.
// argv[2]: BrowseOptions as JSON. stdin: "counters" prints the counters, "rooms" the list,
// "scan" scans the local subnets now and prints what it did and how long it took.
import { createInterface } from 'node:readline';
import { RoomBrowser, type BrowseOptions } from '../../main/discovery/browse.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as BrowseOptions;
const browser = new RoomBrowser(options);
const started = Date.now();
const print = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ ...line, ms: Date.now() - started })}\n`);

browser.on('up', (room) => print({ event: 'up', ...room }));
browser.on('update', (room) => print({ event: 'update', ...room }));
browser.on('down', (room, why) => print({ event: 'down', why, ...room }));
browser.on('status', (status) => print({ event: 'status', ...status }));
browser.on('scan', (scan) => print({ event: 'scan', ...scan }));

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'rooms') print({ event: 'rooms', rooms: browser.rooms() });
  if (line === 'counters') print({ event: 'counters', ...browser.counters });
  if (line === 'scan') {
    const asked = performance.now();
    void browser.scan().then((done) => print({ event: 'scanned', ...done, tookMs: Math.round(performance.now() - asked) }));
  }
});
process.stdin.on('end', () => void browser.stop().then(() => process.exit(0)));
// A forgotten probe must not outlive its test.
setTimeout(() => void browser.stop().then(() => process.exit(0)), 60_000).unref();
await browser.start();
