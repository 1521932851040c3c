import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { readRoomPacket } from './room-records.ts';

// dns-packet (multicast-dns's codec) has no types of its own: encode, then decode as the socket would.
const dnsPacket = createRequire(import.meta.url)('dns-packet') as { encode(p: object): Buffer; decode(b: Buffer): object };
const wire = (answers: object[], additionals: object[] = []) => dnsPacket.decode(dnsPacket.encode({ type: 'response', answers, additionals }));

const SERVICE = '_hearth._tcp.local';
const INSTANCE = 'Kitchen (abcdef)._hearth._tcp.local';
const records = (ttl: number) => [
  { name: SERVICE, type: 'PTR', ttl, data: INSTANCE },
  { name: INSTANCE, type: 'SRV', ttl, data: { port: 47800, target: 'Box.local' } },
  { name: INSTANCE, type: 'TXT', ttl, data: [Buffer.from('v=1'), Buffer.from('room=Kitchen\nand more')] },
];

describe('reading an mDNS response for rooms', () => {
  it('finds an announced room with its SRV, raw TXT strings and addresses, names without case', () => {
    const read = readRoomPacket(wire(records(120), [{ name: 'box.local', type: 'A', ttl: 120, data: '10.0.0.7' }]), '10.0.0.7');
    expect(read.goodbyes).toEqual([]);
    expect(read.mentioned).toEqual(['kitchen (abcdef)._hearth._tcp.local']);
    expect(read.announcements).toEqual([
      {
        instance: 'kitchen (abcdef)._hearth._tcp.local',
        source: '10.0.0.7',
        port: 47800,
        host: 'box',
        addresses: ['10.0.0.7'],
        txt: [Buffer.from('v=1'), Buffer.from('room=Kitchen\nand more')],
      },
    ]);
  });

  it('reads a goodbye (TTL 0) as one, and an SRV without TXT as proof of life only', () => {
    expect(readRoomPacket(wire(records(0)), '10.0.0.7')).toMatchObject({ announcements: [], goodbyes: ['kitchen (abcdef)._hearth._tcp.local', 'kitchen (abcdef)._hearth._tcp.local'] });
    const srvOnly = readRoomPacket(wire([records(120)[1]!]), '10.0.0.7');
    expect(srvOnly).toEqual({ announcements: [], goodbyes: [], mentioned: ['kitchen (abcdef)._hearth._tcp.local'] });
  });

  it('never throws on records of the wrong shape', () => {
    const junk = { answers: [null, 5, { name: SERVICE, type: 'PTR', ttl: 9, data: { not: 'a name' } }, { name: INSTANCE, type: 'SRV', ttl: 9, data: 'x' }], additionals: 'nope' };
    expect(readRoomPacket(junk, '10.0.0.7')).toEqual({ announcements: [], goodbyes: [], mentioned: [] });
    expect(readRoomPacket({}, '10.0.0.7')).toEqual({ announcements: [], goodbyes: [], mentioned: [] });
  });
});
