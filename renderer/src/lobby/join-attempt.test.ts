// The lobby's join as steps: each room asked once, the password asked of the room that
// answered. A fake fetch stands in for the hosts' /health and counts what is asked.
import { describe, expect, it } from 'vitest';
import { parseAddress, type RoomAddress } from '../../../common/address.ts';
import { parseInvite } from '../../../common/invite.ts';
import type { FetchLike } from '../../../common/probe.ts';
import { joinWithPassword, reachForJoin } from './join-attempt.ts';

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

describe('a join from the lobby', () => {
  it('joins a room that needs nothing more, by the name it gives', async () => {
    const { asked, fetchImpl } = fakeHosts({ 'http://192.168.1.7:47800/health': kitchen });
    const step = await reachForJoin(address('192.168.1.7:47800'), '192.168.1.7:47800', fetchImpl);
    expect(step).toEqual({ kind: 'join', request: { address: address('192.168.1.7:47800'), roomName: 'Kitchen', password: undefined } });
    expect(asked).toEqual(['http://192.168.1.7:47800/health']);
  });

  it('names the room as the lobby knew it when the host gives no name', async () => {
    const { fetchImpl } = fakeHosts({ 'http://192.168.1.7:47800/health': { ...kitchen, room: '' } });
    const step = await reachForJoin(address('192.168.1.7:47800'), 'Attic', fetchImpl);
    expect(step.kind === 'join' && step.request.roomName).toBe('Attic');
  });

  it('asks a locked room once: the password goes to the room that answered, without asking it again', async () => {
    const { asked, fetchImpl } = fakeHosts({ 'http://192.168.1.7:47800/health': { ...kitchen, passwordRequired: true } });
    const step = await reachForJoin(address('192.168.1.7:47800'), '192.168.1.7:47800', fetchImpl);
    expect(step).toEqual({ kind: 'password', prompt: { address: address('192.168.1.7:47800'), roomName: 'Kitchen' } });
    if (step.kind !== 'password') return;
    expect(joinWithPassword(step.prompt, 'tea')).toEqual({ address: address('192.168.1.7:47800'), roomName: 'Kitchen', password: 'tea' });
    expect(asked).toEqual(['http://192.168.1.7:47800/health']);
  });

  it('joins an invite link at the address that answered, and keeps it for the password', async () => {
    const invite = parseInvite('http://10.0.0.5:47800/#via=192.168.1.7:47800');
    if (!invite.ok) throw new Error(invite.reason);
    const { fetchImpl } = fakeHosts({ 'http://192.168.1.7:47800/health': { ...kitchen, passwordRequired: true } });
    const step = await reachForJoin(invite.invite, '10.0.0.5:47800', fetchImpl);
    expect(step.kind === 'password' && step.prompt.address.display).toBe('192.168.1.7:47800');
  });

  it('says why when nothing answers', async () => {
    const { fetchImpl } = fakeHosts({});
    expect(await reachForJoin(address('127.0.0.1:1'), '127.0.0.1:1', fetchImpl)).toEqual({ kind: 'refused', reason: 'Nothing is answering at 127.0.0.1:1. Is the room still open?' });
  });
});
