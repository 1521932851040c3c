// The lobby's join as steps: each room asked once, its identity checked where the shell pins
// hosts, the password asked of the room that answered and only after its identity. A fake
// fetch stands in for the hosts' /health and counts what is asked; a fake check stands in
// for the shell's certificate check (main/services answers it from the real certificate).
import { describe, expect, it } from 'vitest';
import { parseAddress, type RoomAddress } from '../../../common/address.ts';
import { fingerprintOf, hostIdOf, shortFingerprint } from '../../../common/identity.ts';
import { parseInvite } from '../../../common/invite.ts';
import type { IdentityCheck, IdentityCheckRequest, Result } from '../../../common/ipc.ts';
import type { FetchLike } from '../../../common/probe.ts';
import { joinTrusted, joinWithPassword, reachForJoin } from './join-attempt.ts';

function address(text: string): RoomAddress {
  const parsed = parseAddress(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.address;
}

/** Hosts by http URL: what each /health says; any other URL fails like nothing listening. */
function fakeHosts(health: Record<string, object>) {
  const asked: string[] = [];
  const fetchImpl: FetchLike = async (url, init) => {
    asked.push(init.mode ? `${url} (${init.mode})` : url);
    const body = health[url];
    if (!body) throw new TypeError('Failed to fetch');
    return { ok: true, json: async () => body };
  };
  return { asked, fetchImpl };
}

const kitchen = { app: 'hearth', room: 'Kitchen', version: 1, members: 2, passwordRequired: false };

describe('a join from the lobby, in a browser (no pinning: joined the way the page was served)', () => {
  it('joins a room that needs nothing more, by the name it gives', async () => {
    const { asked, fetchImpl } = fakeHosts({ 'http://192.168.1.7:47800/health': kitchen });
    const step = await reachForJoin(address('192.168.1.7:47800'), { fallbackName: '192.168.1.7:47800' }, { fetchImpl });
    expect(step).toEqual({ kind: 'join', request: { address: address('192.168.1.7:47800'), roomName: 'Kitchen', password: undefined, secure: false } });
    expect(asked).toEqual(['http://192.168.1.7:47800/health']);
  });

  it('names the room as the lobby knew it when the host gives no name', async () => {
    const { fetchImpl } = fakeHosts({ 'http://192.168.1.7:47800/health': { ...kitchen, room: '' } });
    const step = await reachForJoin(address('192.168.1.7:47800'), { fallbackName: 'Attic' }, { fetchImpl });
    expect(step.kind === 'join' && step.request.roomName).toBe('Attic');
  });

  it('asks a locked room once: the password goes to the room that answered, without asking it again', async () => {
    const { asked, fetchImpl } = fakeHosts({ 'http://192.168.1.7:47800/health': { ...kitchen, passwordRequired: true } });
    const step = await reachForJoin(address('192.168.1.7:47800'), { fallbackName: '192.168.1.7:47800' }, { fetchImpl });
    expect(step).toEqual({ kind: 'password', prompt: { address: address('192.168.1.7:47800'), roomName: 'Kitchen', secure: false } });
    if (step.kind !== 'password') return;
    expect(joinWithPassword(step.prompt, 'tea')).toEqual({ address: address('192.168.1.7:47800'), roomName: 'Kitchen', password: 'tea', secure: false });
    expect(asked).toEqual(['http://192.168.1.7:47800/health']);
  });

  it('joins an invite link at the address that answered, and keeps it for the password', async () => {
    const invite = parseInvite('http://10.0.0.5:47800/#via=192.168.1.7:47800');
    if (!invite.ok) throw new Error(invite.reason);
    const { fetchImpl } = fakeHosts({ 'http://192.168.1.7:47800/health': { ...kitchen, passwordRequired: true } });
    const step = await reachForJoin(invite.invite, { fallbackName: '10.0.0.5:47800' }, { fetchImpl });
    expect(step.kind === 'password' && step.prompt.address.display).toBe('192.168.1.7:47800');
  });

  it('says why when nothing answers', async () => {
    const { fetchImpl } = fakeHosts({});
    expect(await reachForJoin(address('127.0.0.1:1'), { fallbackName: '127.0.0.1:1' }, { fetchImpl })).toEqual({ kind: 'refused', reason: 'Nothing is answering at 127.0.0.1:1. Is the room still open?' });
  });
});

// Two hosts' identities: A the one joined before (or linked), B another certificate.
const A = fingerprintOf(new TextEncoder().encode('host A certificate'));
const B = fingerprintOf(new TextEncoder().encode('host B certificate'));

/** The shell's certificate check, answering `answer` and recording what it was asked (after which /health requests). */
function fakeCheck(answer: Result<IdentityCheck>, asked: string[]) {
  const requests: IdentityCheckRequest[] = [];
  const checkIdentity = async (request: IdentityCheckRequest) => {
    requests.push(request);
    asked.push(`identity ${request.host}:${request.port}`);
    return answer;
  };
  return { requests, checkIdentity };
}

describe('a join from the app, which checks the host identity first', () => {
  const kitchenAt = { 'http://192.168.1.7:47800/health': kitchen };
  const lockedAt = { 'http://192.168.1.7:47800/health': { ...kitchen, passwordRequired: true } };

  it('joins over wss, pinned, a room whose certificate a link vouches for, asking with the link id', async () => {
    const invite = parseInvite(`http://192.168.1.7:47800/#id=${hostIdOf(A)}`);
    if (!invite.ok) throw new Error(invite.reason);
    const { asked, fetchImpl } = fakeHosts({ 'http://192.168.1.7:47800/health': { ...kitchen, id: hostIdOf(A) } });
    const { requests, checkIdentity } = fakeCheck({ ok: true, value: { kind: 'trusted', fingerprint: A, via: 'id' } }, asked);
    const step = await reachForJoin(invite.invite, { fallbackName: '192.168.1.7:47800' }, { fetchImpl, checkIdentity });
    expect(step).toEqual({ kind: 'join', request: { address: address('192.168.1.7:47800'), roomName: 'Kitchen', password: undefined, secure: true, fingerprint: A } });
    expect(requests).toEqual([{ host: '192.168.1.7', port: 47800, expectedId: hostIdOf(A) }]);
    expect(asked).toEqual(['http://192.168.1.7:47800/health', 'identity 192.168.1.7:47800']);
  });

  it('asks with the id a room was listed by on the network', async () => {
    const { asked, fetchImpl } = fakeHosts(kitchenAt);
    const { requests, checkIdentity } = fakeCheck({ ok: true, value: { kind: 'trusted', fingerprint: A, via: 'id' } }, asked);
    await reachForJoin(address('192.168.1.7:47800'), { fallbackName: 'Kitchen', listedId: hostIdOf(A) }, { fetchImpl, checkIdentity });
    expect(requests).toEqual([{ host: '192.168.1.7', port: 47800, expectedId: hostIdOf(A) }]);
  });

  it('trusts a typed address on first use, with no id to vouch for it', async () => {
    const { asked, fetchImpl } = fakeHosts(kitchenAt);
    const { requests, checkIdentity } = fakeCheck({ ok: true, value: { kind: 'first-use', fingerprint: A } }, asked);
    const step = await reachForJoin(address('192.168.1.7:47800'), { fallbackName: '192.168.1.7:47800' }, { fetchImpl, checkIdentity });
    expect(step).toEqual({ kind: 'join', request: { address: address('192.168.1.7:47800'), roomName: 'Kitchen', password: undefined, secure: true, fingerprint: A } });
    expect(requests).toEqual([{ host: '192.168.1.7', port: 47800, expectedId: undefined }]);
  });

  it('asks for the password only after the identity, and joins with it over the pinned connection', async () => {
    const { asked, fetchImpl } = fakeHosts(lockedAt);
    const { checkIdentity } = fakeCheck({ ok: true, value: { kind: 'trusted', fingerprint: A, via: 'known' } }, asked);
    const step = await reachForJoin(address('192.168.1.7:47800'), { fallbackName: '192.168.1.7:47800' }, { fetchImpl, checkIdentity });
    expect(step).toEqual({ kind: 'password', prompt: { address: address('192.168.1.7:47800'), roomName: 'Kitchen', secure: true, fingerprint: A } });
    expect(asked).toEqual(['http://192.168.1.7:47800/health', 'identity 192.168.1.7:47800']);
    if (step.kind !== 'password') return;
    expect(joinWithPassword(step.prompt, 'tea')).toEqual({ address: address('192.168.1.7:47800'), roomName: 'Kitchen', password: 'tea', secure: true, fingerprint: A });
  });

  it('joins a host from before encryption in plain ws (the room then says it is not encrypted)', async () => {
    const { asked, fetchImpl } = fakeHosts(kitchenAt);
    const { checkIdentity } = fakeCheck({ ok: true, value: { kind: 'no-tls' } }, asked);
    const step = await reachForJoin(address('192.168.1.7:47800'), { fallbackName: '192.168.1.7:47800' }, { fetchImpl, checkIdentity });
    expect(step).toEqual({ kind: 'join', request: { address: address('192.168.1.7:47800'), roomName: 'Kitchen', password: undefined, secure: false } });
  });

  it('stops at a changed identity with both, and once trusted joins over wss pinned to the new one, password first', async () => {
    const { asked, fetchImpl } = fakeHosts(lockedAt);
    const { checkIdentity } = fakeCheck({ ok: true, value: { kind: 'changed', remembered: A, presented: B } }, asked);
    const step = await reachForJoin(address('192.168.1.7:47800'), { fallbackName: '192.168.1.7:47800' }, { fetchImpl, checkIdentity });
    expect(step).toEqual({ kind: 'identity-changed', prompt: { address: address('192.168.1.7:47800'), roomName: 'Kitchen', passwordRequired: true, remembered: A, presented: B } });
    if (step.kind !== 'identity-changed') return;
    expect(joinTrusted(step.prompt)).toEqual({ kind: 'password', prompt: { address: address('192.168.1.7:47800'), roomName: 'Kitchen', secure: true, fingerprint: B } });
    expect(joinTrusted({ ...step.prompt, passwordRequired: false })).toEqual({
      kind: 'join',
      request: { address: address('192.168.1.7:47800'), roomName: 'Kitchen', password: undefined, secure: true, fingerprint: B },
    });
  });

  it('refuses another host where a link named one, with both short identities, and no way past', async () => {
    const invite = parseInvite(`http://192.168.1.7:47800/#id=${hostIdOf(A)}`);
    if (!invite.ok) throw new Error(invite.reason);
    const { asked, fetchImpl } = fakeHosts({ 'http://192.168.1.7:47800/health': { ...kitchen, id: hostIdOf(A) } });
    const { checkIdentity } = fakeCheck({ ok: true, value: { kind: 'not-this-host', expectedId: hostIdOf(A), presented: B } }, asked);
    const step = await reachForJoin(invite.invite, { fallbackName: '192.168.1.7:47800' }, { fetchImpl, checkIdentity });
    // The link's id read as the short form the host's screen shows for A.
    const [shortA, shortB] = [shortFingerprint(A), shortFingerprint(B)];
    expect(step).toEqual({
      kind: 'refused',
      reason: `This is not the host the link was made for. The link is for ${shortA}, but the host at 192.168.1.7:47800 is ${shortB}. Someone on this network may be pretending to be it: ask the host for a new link.`,
    });
  });

  it('says a listed room is not the host listed, when its row id names another certificate', async () => {
    const { asked, fetchImpl } = fakeHosts(kitchenAt);
    const { checkIdentity } = fakeCheck({ ok: true, value: { kind: 'not-this-host', expectedId: hostIdOf(A), presented: B } }, asked);
    const step = await reachForJoin(address('192.168.1.7:47800'), { fallbackName: 'Kitchen', listedId: hostIdOf(A) }, { fetchImpl, checkIdentity });
    expect(step.kind === 'refused' && step.reason).toMatch(/^This is not the host that was listed on the network\. It was listed as [a-z2-7]{5}(-[a-z2-7]{5}){3}, but the host at 192\.168\.1\.7:47800 is /);
  });

  it("refuses with the shell's sentence when the identity cannot be checked", async () => {
    const { asked, fetchImpl } = fakeHosts(kitchenAt);
    const { checkIdentity } = fakeCheck({ ok: false, error: 'The host at 192.168.1.7:47800 stopped answering while its identity was checked.' }, asked);
    const step = await reachForJoin(address('192.168.1.7:47800'), { fallbackName: 'Kitchen' }, { fetchImpl, checkIdentity });
    expect(step).toEqual({ kind: 'refused', reason: 'The host at 192.168.1.7:47800 stopped answering while its identity was checked.' });
  });

  it('checks no identity when the room does not answer', async () => {
    const { asked, fetchImpl } = fakeHosts({});
    const { requests, checkIdentity } = fakeCheck({ ok: true, value: { kind: 'first-use', fingerprint: A } }, asked);
    const step = await reachForJoin(address('127.0.0.1:1'), { fallbackName: '127.0.0.1:1' }, { fetchImpl, checkIdentity });
    expect(step.kind).toBe('refused');
    expect(requests).toEqual([]);
  });
});
