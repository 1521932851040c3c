// What one mDNS response says about Hearth rooms: which instances it announces (with their
// SRV, TXT and addresses), which it says goodbye to, and which it merely mentions (proof
// of life). Everything in a packet is untrusted: any field may be missing or of the wrong
// shape, and nothing here may throw because of it.
import { isIPv4 } from 'node:net';
import { SERVICE_NAME } from './txt.ts';

export interface RoomAnnouncement {
  /** The instance's full name, lower-cased (DNS names compare without case). */
  instance: string;
  /** The address the packet came from: the one that demonstrably reaches us. */
  source: string;
  port: number;
  /** The SRV target, without ".local". */
  host: string;
  /** IPv4 addresses the packet gives for that target. */
  addresses: string[];
  txt: Uint8Array[];
}

interface RoomPacket {
  announcements: RoomAnnouncement[];
  /** Instances (lower-cased) said goodbye to. */
  goodbyes: string[];
  /** Instances (lower-cased) whose SRV or TXT was repeated: still there. */
  mentioned: string[];
}

interface AnyRecord {
  name?: unknown;
  type?: unknown;
  ttl?: unknown;
  data?: unknown;
}

/** Records a well-formed packet can hold; a bigger one is read only this far. */
const MAX_RECORDS = 256;

export function readRoomPacket(packet: { answers?: unknown; additionals?: unknown }, source: string): RoomPacket {
  const records = [...asArray(packet.answers), ...asArray(packet.additionals)].slice(0, MAX_RECORDS) as AnyRecord[];
  const result: RoomPacket = { announcements: [], goodbyes: [], mentioned: [] };
  const srv = new Map<string, { port: number; target: string }>();
  const txt = new Map<string, Uint8Array[]>();
  const a = new Map<string, string[]>();
  const instances = new Set<string>();
  for (const record of records) {
    if (typeof record?.name !== 'string') continue;
    const name = record.name.toLowerCase().replace(/\.$/, '');
    const live = typeof record.ttl === 'number' && record.ttl > 0;
    if (record.type === 'PTR' && name === SERVICE_NAME && typeof record.data === 'string') {
      const instance = record.data.toLowerCase().replace(/\.$/, '');
      if (!instance.endsWith(`.${SERVICE_NAME}`)) continue;
      if (live) instances.add(instance);
      else result.goodbyes.push(instance);
    } else if (record.type === 'SRV' && name.endsWith(`.${SERVICE_NAME}`)) {
      const data = record.data as { port?: unknown; target?: unknown } | undefined;
      if (!live) result.goodbyes.push(name);
      else if (typeof data?.port === 'number' && typeof data.target === 'string') srv.set(name, { port: data.port, target: data.target.toLowerCase().replace(/\.$/, '') });
    } else if (record.type === 'TXT' && name.endsWith(`.${SERVICE_NAME}`) && live) {
      const data = Array.isArray(record.data) ? record.data : [record.data];
      txt.set(name, data.filter((d): d is Uint8Array => d instanceof Uint8Array));
    } else if (record.type === 'A' && live && typeof record.data === 'string' && isIPv4(record.data)) {
      a.set(name, [...(a.get(name) ?? []), record.data]);
    }
  }
  for (const name of new Set([...srv.keys(), ...txt.keys()])) {
    result.mentioned.push(name);
    instances.add(name);
  }
  for (const instance of instances) {
    const service = srv.get(instance);
    const strings = txt.get(instance);
    if (!service || !strings) continue;
    result.announcements.push({
      instance,
      source,
      port: service.port,
      host: service.target.replace(/\.local$/, ''),
      addresses: a.get(service.target) ?? [],
      txt: strings,
    });
  }
  return result;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
