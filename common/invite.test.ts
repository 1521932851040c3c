import { describe, expect, it } from 'vitest';
import { inviteLink, MAX_CANDIDATES, parseInvite, shortLink } from './invite.ts';

const displays = (text: string) => {
  const result = parseInvite(text);
  if (!result.ok) throw new Error(result.reason);
  return result.invite.candidates.map((c) => c.display);
};

describe('inviteLink', () => {
  it('keeps the best address as the link and the others, with the host id, in the fragment', () => {
    const link = inviteLink(
      [
        { host: '192.168.1.7', port: 47800 },
        { host: '10.0.0.5', port: 47800 },
        { host: 'fd00::2', port: 47800 },
      ],
      'k3j4h5g6f7d8',
    );
    expect(link).toBe('http://192.168.1.7:47800/#via=10.0.0.5:47800,[fd00::2]:47800&id=k3j4h5g6f7d8');
    expect(shortLink(link!)).toBe('http://192.168.1.7:47800/');
  });

  it('is the plain link for one address and no id, and nothing for no address', () => {
    expect(inviteLink([{ host: '192.168.1.7', port: 5000 }])).toBe('http://192.168.1.7:5000/');
    expect(inviteLink([])).toBeUndefined();
  });

  it('carries each address once and at most eight, in the order given', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ host: `10.0.${i}.1`, port: 47800 }));
    const link = inviteLink([many[0]!, ...many], 'abcdefghij')!;
    expect(displays(link)).toEqual(many.slice(0, MAX_CANDIDATES).map((e) => `${e.host}:47800`));
  });

  it('reads back what it writes', () => {
    const link = inviteLink([{ host: '192.168.1.7', port: 47800 }, { host: 'fd00::2', port: 47801 }, { host: 'laptop.local', port: 47800 }], 'k3j4h5g6f7d8')!;
    const result = parseInvite(link);
    expect(result.ok && result.invite).toMatchObject({
      hostId: 'k3j4h5g6f7d8',
      candidates: [
        { display: '192.168.1.7:47800', wsUrl: 'ws://192.168.1.7:47800/ws' },
        { host: 'fd00::2', display: '[fd00::2]:47801', httpUrl: 'http://[fd00::2]:47801/' },
        { display: 'laptop.local:47800' },
      ],
    });
  });
});

describe('parseInvite', () => {
  it('takes what parseAddress takes, as one candidate and no host id', () => {
    for (const text of ['192.168.1.7', 'http://192.168.1.7:47800/', 'ws://10.0.0.2:47801/ws', '[fd00::2]:47800']) {
      const result = parseInvite(text);
      expect(result.ok && result.invite.candidates).toHaveLength(1);
      expect(result.ok && result.invite.hostId).toBeUndefined();
    }
    expect(parseInvite('my laptop')).toEqual({ ok: false, reason: 'An address cannot contain spaces.' });
  });

  it('ignores a fragment that is not an invite, and fields it does not know', () => {
    expect(displays('http://192.168.1.7:47800/#/room')).toEqual(['192.168.1.7:47800']);
    expect(displays('http://192.168.1.7:47800/#via=10.0.0.5:47800&later=yes')).toEqual(['192.168.1.7:47800', '10.0.0.5:47800']);
  });

  it('reads percent-encoded brackets, and drops an address listed twice', () => {
    expect(displays('http://192.168.1.7:47800/#via=%5Bfd00%3A%3A2%5D:47800,192.168.1.7:47800,10.0.0.5:1')).toEqual(['192.168.1.7:47800', '[fd00::2]:47800', '10.0.0.5:1']);
  });

  it('follows the link to https for the other addresses too', () => {
    const result = parseInvite('https://room.example:8443/#via=10.0.0.5:8443');
    expect(result.ok && result.invite.candidates.map((c) => c.wsUrl)).toEqual(['wss://room.example:8443/ws', 'wss://10.0.0.5:8443/ws']);
  });

  it.each([
    ['#via=10.0.0.5', /"10.0.0.5" is not an address with a port/],
    ['#via=http://10.0.0.5:47800', /not an address with a port/],
    ['#via=10.0.0.5:47800/ws', /not an address with a port/],
    ['#via=10.0.0.5:47800,,10.0.0.6:47800', /"" is not an address with a port/],
    ['#via=10.0.0.5:99999', /"10.0.0.5:99999" is not an address with a port/],
    ['#via=user@10.0.0.5:47800', /not an address with a port/],
    ['#via=', /"via" part is empty/],
    ['#via', /"via" part is empty/],
    ['#via=%E0%A4%A', /"via" part is garbled/],
    ['#via=10.0.0.5:47800&via=10.0.0.6:47800', /names "via" twice/],
    ['#id=Not-An-Id!', /host id is not one Hearth makes/],
    ['#id=short', /host id/],
  ])('refuses the damaged fragment %s, saying what is wrong', (fragment, reason) => {
    const result = parseInvite(`http://192.168.1.7:47800/${fragment}`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it(`refuses more than ${MAX_CANDIDATES} addresses, and a link too long for any QR code`, () => {
    const via = (n: number) => Array.from({ length: n }, (_, i) => `10.0.0.${i + 2}:47800`).join(',');
    expect(displays(`http://10.0.0.1:47800/#via=${via(MAX_CANDIDATES - 1)}`)).toHaveLength(MAX_CANDIDATES);
    expect(parseInvite(`http://10.0.0.1:47800/#via=${via(MAX_CANDIDATES)}`)).toEqual({ ok: false, reason: 'That link lists more than 8 addresses. Ask the host for a new one.' });
    expect(parseInvite(`http://10.0.0.1:47800/#via=10.0.0.2:47800&pad=${'x'.repeat(1000)}`)).toEqual({ ok: false, reason: 'That link is too long.' });
  });
});
