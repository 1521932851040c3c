import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { inSubnet } from './addresses.ts';
import type { MdnsSocket } from './endpoints.ts';
import { LinkResponder, compareRecordSets, type DnsRecord } from './responder.ts';

/** bonjour-service's transport, recording what would go on the wire. */
class RecordingTransport extends EventEmitter implements MdnsSocket {
  sent: Array<{ kind: 'query' | 'response'; packet: { answers?: DnsRecord[]; questions?: Array<{ name: string }>; authorities?: DnsRecord[]; id?: number }; to?: unknown }> = [];
  query(packet: never, cb?: (error: Error | null) => void): void {
    this.sent.push({ kind: 'query', packet });
    cb?.(null);
  }
  respond(packet: never, to?: unknown, cb?: (error: Error | null) => void): void {
    const done = typeof to === 'function' ? (to as (e: Error | null) => void) : cb;
    this.sent.push({ kind: 'response', packet, ...(typeof to === 'object' && { to }) });
    done?.(null);
  }
  responses() {
    return this.sent.filter((s) => s.kind === 'response').map((s) => s.packet);
  }
}

const OURS = '10.0.0.5';
const NEIGHBOUR = { address: '10.0.0.9', port: 5353 };
const timing = { probeMs: 5, announceMs: [0, 20], goodbyeMs: [0, 5, 10] };
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function responder(transport = new RecordingTransport()) {
  const r = new LinkResponder({
    mdns: transport,
    address: OURS,
    prefix: 24,
    isOwnAddress: (a) => a === OURS,
    hostLabel: 'vm',
    service: { instance: 'Kitchen (abc123)', type: 'hearth', port: 47800, txt: { v: '2', room: 'Kitchen', users: '0', lock: '0', id: 'abc123def' } },
    timing,
  });
  return { r, transport };
}

async function announced(r: LinkResponder): Promise<void> {
  if (!r.announced) await new Promise((resolve) => r.once('announced', resolve));
}

describe('LinkResponder', () => {
  it('probes three times with its A record in the authority section, then announces twice with the cache-flush bit', async () => {
    const { r, transport } = responder();
    r.start();
    await announced(r);
    await wait(40);
    const probes = transport.sent.filter((s) => s.kind === 'query');
    expect(probes).toHaveLength(3);
    expect(probes[0]!.packet.authorities).toEqual([{ name: 'vm.local', type: 'A', ttl: 120, flush: true, data: OURS }]);
    const announcements = transport.responses();
    expect(announcements).toHaveLength(2);
    const byType = (type: string) => announcements[0]!.answers!.filter((a) => a.type === type);
    expect(byType('A')).toEqual([{ name: 'vm.local', type: 'A', ttl: 120, flush: true, data: OURS }]);
    expect(byType('SRV')[0]).toMatchObject({ flush: true, data: { target: 'vm.local', port: 47800 } });
    expect(byType('TXT')[0]!.flush).toBe(true);
    expect(byType('PTR').every((p) => !p.flush)).toBe(true);
    r.dispose();
  });

  it('takes vm-2.local when a neighbour answers for vm.local while it probes, and keeps it', async () => {
    const { r, transport } = responder();
    r.start();
    transport.emit('response', { answers: [{ name: 'vm.local', type: 'A', ttl: 120, data: '10.0.0.9' }] }, NEIGHBOUR);
    await announced(r);
    expect(r.hostName).toBe('vm-2.local');
    r.dispose();
  });

  it('is not in conflict with this machine: its own records coming back, or another program here', async () => {
    const { r, transport } = responder();
    r.start();
    transport.emit('response', { answers: [{ name: 'vm.local', type: 'A', ttl: 120, data: OURS }] }, { address: OURS, port: 5353 });
    transport.emit('query', { questions: [{ name: 'vm.local', type: 'ANY' }], authorities: [{ name: 'vm.local', type: 'A', ttl: 120, data: OURS }] }, { address: OURS, port: 5353 });
    await announced(r);
    expect(r.hostName).toBe('vm.local');
    r.dispose();
  });

  it('gives its name up to another machine that probes for it, instead of making it rename', async () => {
    const { r, transport } = responder();
    r.start();
    await announced(r);
    const before = transport.responses().length;
    transport.emit('query', { questions: [{ name: 'vm.local', type: 'ANY' }], authorities: [{ name: 'vm.local', type: 'A', ttl: 120, data: '10.0.0.9' }] }, NEIGHBOUR);
    expect(r.hostName).toBe('vm-2.local');
    // The probe is not answered: the neighbour keeps vm.local.
    expect(transport.responses().slice(before).flatMap((p) => p.answers ?? []).some((a) => a.name === 'vm.local')).toBe(false);
    r.dispose();
  });

  it('answers a PTR query from this link with SRV, TXT and this link\'s address, and ignores one from another subnet', async () => {
    const { r, transport } = responder();
    r.start();
    await announced(r);
    await wait(40);
    const before = transport.responses().length;
    transport.emit('query', { questions: [{ name: '_hearth._tcp.local', type: 'PTR' }] }, { address: '10.0.1.7', port: 5353 });
    expect(transport.responses()).toHaveLength(before);
    transport.emit('query', { questions: [{ name: '_hearth._tcp.local', type: 'PTR' }] }, NEIGHBOUR);
    const answer = transport.responses()[before] as { answers: DnsRecord[]; additionals: DnsRecord[] };
    expect(answer.answers.map((a) => a.type)).toEqual(['PTR']);
    expect(answer.additionals.map((a) => `${a.type} ${String(a.type === 'A' ? a.data : '')}`).sort()).toEqual([`A ${OURS}`, 'SRV ', 'TXT ']);
    r.dispose();
  });

  it('answers a legacy unicast query to the asker, with its id and short TTLs', async () => {
    const { r, transport } = responder();
    r.start();
    await announced(r);
    transport.emit('query', { id: 77, questions: [{ name: 'vm.local', type: 'A' }] }, { address: '10.0.0.9', port: 40000 });
    const last = transport.sent.at(-1)!;
    expect(last.to).toEqual({ address: '10.0.0.9', port: 40000 });
    expect(last.packet).toMatchObject({ id: 77, answers: [{ name: 'vm.local', type: 'A', ttl: 10, flush: false, data: OURS }] });
    r.dispose();
  });

  it('drops a packet that decodes but makes no sense, and keeps answering', async () => {
    const { r, transport } = responder();
    r.start();
    await announced(r);
    expect(() => transport.emit('query', { questions: [{ name: null, type: 'PTR' }], answers: 'junk' }, NEIGHBOUR)).not.toThrow();
    expect(() => transport.emit('response', { answers: [null] }, NEIGHBOUR)).not.toThrow();
    const before = transport.responses().length;
    transport.emit('query', { questions: [{ name: 'vm.local', type: 'A' }] }, NEIGHBOUR);
    expect(transport.responses()).toHaveLength(before + 1);
    r.dispose();
  });

  it('says goodbye repeatedly with TTL 0, leaving the shared services PTR alone', async () => {
    const { r, transport } = responder();
    r.start();
    await announced(r);
    await wait(40);
    const before = transport.responses().length;
    await r.stop();
    const goodbyes = transport.responses().slice(before);
    expect(goodbyes).toHaveLength(3);
    for (const g of goodbyes) {
      expect(g.answers!.every((a) => a.ttl === 0)).toBe(true);
      expect(g.answers!.some((a) => a.name.startsWith('_services.'))).toBe(false);
      expect(g.answers!.map((a) => a.type).sort()).toEqual(['PTR', 'SRV', 'TXT']);
    }
  });
});

describe('record order and subnets', () => {
  it('orders record sets as RFC 6762 §8.2 does', () => {
    const a = (data: string): DnsRecord => ({ name: 'vm.local', type: 'A', ttl: 120, data });
    expect(compareRecordSets([a('10.0.0.9')], [a('10.0.0.5')])).toBeGreaterThan(0);
    expect(compareRecordSets([a('10.0.0.5')], [a('10.0.0.9')])).toBeLessThan(0);
    expect(compareRecordSets([a('10.0.0.5')], [a('10.0.0.5')])).toBe(0);
    expect(compareRecordSets([a('10.0.0.5'), { name: 'vm.local', type: 'AAAA', ttl: 120, data: 'fe80::1' }], [a('10.0.0.5')])).toBeGreaterThan(0);
  });

  it('tells this link\'s subnet from another', () => {
    expect(inSubnet('10.231.20.2', '10.231.20.1', 24)).toBe(true);
    expect(inSubnet('10.231.21.2', '10.231.20.1', 24)).toBe(false);
    expect(inSubnet('10.231.21.2', '10.231.20.1', 16)).toBe(true);
  });
});
