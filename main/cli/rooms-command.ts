// `hearth rooms`: the rooms on this network, as a table or as JSON (one object per line).
// --watch keeps listening and prints rooms as they appear, change and leave, and what
// happens to discovery itself (no network yet, rooms left out). --scan also asks every
// address of the local subnets (multicast filtered: Wi-Fi client isolation, routers).
// Whatever came from the network is sanitised before it reaches the terminal.
import { parseArgs, styleText } from 'node:util';
import { describeScan } from '../../common/scan-summary.ts';
import { RoomBrowser, type DiscoveredRoom } from '../discovery/browse.ts';
import type { DiscoveryStatus } from '../discovery/endpoints.ts';
import { sanitizeForTerminal } from './terminal-format.ts';

export async function runRooms(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean', default: false },
        watch: { type: 'boolean', default: false },
        scan: { type: 'boolean', default: false },
        timeout: { type: 'string', default: '1000' },
        interface: { type: 'string', multiple: true },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`hearth rooms: ${(error as Error).message}\n`);
    return 2;
  }
  const timeout = Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout < 0) {
    process.stderr.write('hearth rooms: --timeout is in milliseconds\n');
    return 2;
  }
  const browser = new RoomBrowser(values.interface ? { interfaces: values.interface } : {});
  const err = process.stderr;
  const out = process.stdout;
  const started = Date.now();
  const line = (event: string, room: DiscoveredRoom) => {
    if (values.json) return out.write(`${JSON.stringify({ event, ...toJson(room), ms: Date.now() - started })}\n`);
    const mark = { up: '+', update: '~', down: '-' }[event] ?? ' ';
    return out.write(`${mark} ${describe(room)}\n`);
  };
  const say = (status: DiscoveryStatus<'browsing'>) => {
    if (values.json) return out.write(`${JSON.stringify({ event: 'status', ...status, ms: Date.now() - started })}\n`);
    const sentence = describeStatus(status);
    return sentence ? err.write(`hearth rooms: ${sentence}\n`) : true;
  };
  if (values.watch) {
    browser.on('up', (r) => line('up', r));
    browser.on('update', (r) => line('update', r));
    browser.on('down', (r) => line('down', r));
    browser.on('status', say);
  }
  if (values.scan) {
    browser.on('scan', (scan) => {
      if (values.json && values.watch) out.write(`${JSON.stringify({ event: 'scan', ...scan, ms: Date.now() - started })}\n`);
      else if (scan.state === 'done') err.write(`hearth rooms: ${describeScan(scan)}\n`);
    });
  }
  const status = await browser.start();
  // Multicast that cannot work is what a scan is for: it goes on without it.
  if (status.state === 'unavailable' && !values.watch && !values.scan) {
    err.write(`hearth rooms: ${describeStatus(status)}\n`);
    await browser.stop();
    return 1;
  }
  const scanned = values.scan ? browser.scan() : undefined;
  if (values.watch) {
    // The browser's timers do not hold the process (a library must not); offline, nothing else would.
    const keepAlive = setInterval(() => {}, 60_000);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    clearInterval(keepAlive);
    await browser.stop();
    return 0;
  }
  const [scan] = await Promise.all([scanned, new Promise((r) => setTimeout(r, timeout))]);
  const rooms = browser.rooms();
  const finalStatus = browser.status;
  await browser.stop();
  if (finalStatus.state !== 'browsing' || finalStatus.note) err.write(`hearth rooms: ${describeStatus(finalStatus)}\n`);
  if (finalStatus.state !== 'browsing' && !(scan && scan.subnets.length > 0)) return 1;
  if (values.json) {
    for (const room of rooms) out.write(`${JSON.stringify(toJson(room))}\n`);
  } else if (rooms.length === 0) {
    out.write('No rooms found on this network. Ask the host for the address and use `hearth join ADDRESS`.\n');
  } else {
    for (const room of rooms) out.write(`${describe(room)}\n`);
  }
  return 0;
}

function toJson(room: DiscoveredRoom) {
  return {
    room: room.room,
    host: room.host,
    address: room.address,
    port: room.port,
    users: room.users,
    lock: room.lock,
    id: room.id,
    v: room.v,
    compatible: room.compatible,
    ...(room.note && { note: room.note }),
    addresses: room.addresses,
  };
}

function describe(room: DiscoveredRoom): string {
  const people = `${room.users} ${room.users === 1 ? 'person' : 'people'}`;
  const flags = [room.lock ? 'password' : '', room.note ?? ''].filter(Boolean).join(', ');
  const where = `${room.address}:${room.port}`;
  const text = `  ${where}  ${people}  on ${room.host}${flags ? `  (${flags})` : ''}`;
  return `${styleText('bold', sanitizeForTerminal(room.room), { stream: process.stdout })}${sanitizeForTerminal(text)}`;
}

function describeStatus(status: DiscoveryStatus<'browsing'>): string | undefined {
  switch (status.state) {
    case 'browsing':
      return status.note;
    case 'offline':
      return `waiting for a network: ${status.reason}`;
    case 'unavailable':
      return `discovery unavailable: ${status.reason}`;
    case 'stopped':
      return undefined;
  }
}
