// The join decision as a pure function: each rule on its own, in the order a refusal is
// given, with no room, peer or socket behind it.
import { describe, expect, it } from 'vitest';
import { nameKey } from '../../../common/names.ts';
import { derivePasswordKey, passwordProof } from '../../../common/password.ts';
import { PROTOCOL_VERSION, type JoinFrame } from '../../../common/protocol.ts';
import { decideAdmission, PasswordLockout, type AdmissionRoom, type JoinRequest } from './admission.ts';
import type { BanEntry } from './bans.ts';
import { userIdFor } from './session.ts';

const NOW = 1_000_000;
const CLIENT = 'client-aaaaaaaaaaaaaaaaaaaa';
const NONCE = 'nonce-for-this-connection';

/** A room with the given members (user id → name) and nothing else, unless overridden. */
function room(overrides: Partial<AdmissionRoom> = {}, members: Record<string, string> = {}): AdmissionRoom {
  const byKey = new Map(Object.entries(members).map(([id, name]) => [nameKey(name), { id, name }]));
  return {
    encryptedOnly: false,
    fingerprint: undefined,
    passwordKey: undefined,
    lockedOutUntil: undefined,
    banOf: () => undefined,
    nameOf: (userId) => members[userId],
    holderOf: (name) => byKey.get(nameKey(name)),
    nameKeys: () => new Set(byKey.keys()),
    memberCount: Object.keys(members).length,
    maxMembers: 10,
    sharesFiles: true,
    ...overrides,
  };
}

function request(frame: Partial<JoinFrame> = {}, address = '192.168.1.20', encrypted = false): JoinRequest {
  return { frame: { type: 'join', v: PROTOCOL_VERSION, name: 'Ada', clientId: CLIENT, ...frame }, nonce: NONCE, encrypted, address, now: NOW };
}

/** The same join over TLS. */
function overTls(frame: Partial<JoinFrame> = {}): JoinRequest {
  return request(frame, '192.168.1.20', true);
}

/** This host's certificate, and a man in the middle's. */
const HOST_FP = '3a'.repeat(32);
const OTHER_FP = '91'.repeat(32);

describe('admission', () => {
  it('admits a newcomer under the name it gave, trimmed, with its public user id', () => {
    expect(decideAdmission(request({ name: '  Ada  ' }), room())).toEqual({ ok: true, userId: userIdFor(CLIENT), name: 'Ada', takeover: false, password: 'not_asked' });
  });

  it('refuses another protocol version first, saying which side should update, and closes', () => {
    const key = derivePasswordKey('secret', 'salt');
    expect(decideAdmission(request({ v: PROTOCOL_VERSION + 1 }), room({ passwordKey: key }))).toEqual({
      ok: false, code: 'version_mismatch', reason: 'This room runs an older Hearth. Ask the host to update.', close: true, password: 'not_asked',
    });
    expect(decideAdmission(request({ v: PROTOCOL_VERSION - 1 }), room({ sharesFiles: false }))).toMatchObject({ ok: false, code: 'version_mismatch', reason: 'This room needs a newer Hearth. Please update.' });
  });

  it('tells a client from before files (protocol 2) that this room shares files', () => {
    expect(decideAdmission(request({ v: 2 }), room())).toEqual({
      ok: false, code: 'version_mismatch', reason: 'This room shares files and needs a newer Hearth. Please update.', close: true, password: 'not_asked',
    });
  });

  describe('encrypted only', () => {
    const sentence = 'This room accepts only encrypted connections: join it from the Hearth app or with `hearth join`.';

    it('refuses a plain join first, before the version, the password or the name, and closes', () => {
      const key = derivePasswordKey('secret', 'salt');
      const strict = room({ encryptedOnly: true, fingerprint: HOST_FP, passwordKey: key, lockedOutUntil: NOW + 60_000, memberCount: 10, maxMembers: 10 });
      const refusal = { ok: false, code: 'encryption_required', reason: sentence, close: true, password: 'not_asked' };
      expect(decideAdmission(request(), strict)).toEqual(refusal);
      expect(decideAdmission(request({ v: PROTOCOL_VERSION + 1, name: 'bad\u0007', proof: passwordProof(key, NONCE, CLIENT) }), strict)).toEqual(refusal);
    });

    it('admits a join over TLS, and a room without the rule admits plain ones', () => {
      expect(decideAdmission(overTls(), room({ encryptedOnly: true, fingerprint: HOST_FP }))).toMatchObject({ ok: true, name: 'Ada' });
      expect(decideAdmission(request(), room({ fingerprint: HOST_FP }))).toMatchObject({ ok: true });
    });
  });

  describe('password bound to the channel', () => {
    const key = derivePasswordKey('secret', 'salt');
    const tlsRoom = room({ passwordKey: key, fingerprint: HOST_FP });

    it('admits a proof bound to this host’s own certificate over TLS', () => {
      const proof = passwordProof(key, NONCE, CLIENT, HOST_FP);
      expect(decideAdmission(overTls({ proof, proofBound: true }), tlsRoom)).toMatchObject({ ok: true, password: 'proved' });
    });

    it('refuses a proof bound to another certificate (a relay through a man in the middle), counted as a wrong password', () => {
      const relayed = passwordProof(key, NONCE, CLIENT, OTHER_FP);
      expect(decideAdmission(overTls({ proof: relayed, proofBound: true }), tlsRoom)).toEqual({ ok: false, code: 'bad_password', reason: 'Wrong password.', close: true, password: 'wrong' });
      // Claiming it unbound does not help: it signs the other certificate either way.
      expect(decideAdmission(overTls({ proof: relayed }), tlsRoom)).toMatchObject({ code: 'bad_password', password: 'wrong' });
    });

    it('refuses a bound proof on a plain connection, even one naming this host, counted', () => {
      const proof = passwordProof(key, NONCE, CLIENT, HOST_FP);
      expect(decideAdmission(request({ proof, proofBound: true }), tlsRoom)).toMatchObject({ ok: false, code: 'bad_password', password: 'wrong' });
      // A host without TLS has no certificate to bind to.
      expect(decideAdmission(overTls({ proof, proofBound: true }), room({ passwordKey: key }))).toMatchObject({ code: 'bad_password', password: 'wrong' });
    });

    it('admits an unbound proof over TLS (a browser cannot read the certificate) and over plain', () => {
      const proof = passwordProof(key, NONCE, CLIENT);
      expect(decideAdmission(overTls({ proof }), tlsRoom)).toMatchObject({ ok: true, password: 'proved' });
      expect(decideAdmission(request({ proof }), tlsRoom)).toMatchObject({ ok: true, password: 'proved' });
      // An unbound proof claimed as bound does not match the bound message.
      expect(decideAdmission(overTls({ proof, proofBound: true }), tlsRoom)).toMatchObject({ code: 'bad_password' });
    });
  });

  describe('password', () => {
    const key = derivePasswordKey('secret', 'salt');
    const rightProof = passwordProof(key, NONCE, CLIENT);

    it('asks for one without closing, so the person can type it', () => {
      expect(decideAdmission(request(), room({ passwordKey: key }))).toEqual({ ok: false, code: 'password_required', reason: 'This room needs a password.', close: false, password: 'not_asked' });
    });

    it('refuses a wrong proof and closes, reporting it for the lockout', () => {
      const wrong = passwordProof(derivePasswordKey('guess', 'salt'), NONCE, CLIENT);
      expect(decideAdmission(request({ proof: wrong }), room({ passwordKey: key }))).toEqual({ ok: false, code: 'bad_password', reason: 'Wrong password.', close: true, password: 'wrong' });
      // A proof made for another connection's nonce is wrong too.
      expect(decideAdmission(request({ proof: passwordProof(key, 'other-nonce', CLIENT) }), room({ passwordKey: key }))).toMatchObject({ code: 'bad_password' });
    });

    it('admits the right proof and says so, so the lockout is lifted', () => {
      expect(decideAdmission(request({ proof: rightProof }), room({ passwordKey: key }))).toMatchObject({ ok: true, password: 'proved' });
    });

    it('refuses even the right proof while the address is locked out, in whole seconds', () => {
      expect(decideAdmission(request({ proof: rightProof }), room({ passwordKey: key, lockedOutUntil: NOW + 2500 }))).toEqual({
        ok: false, code: 'too_many_attempts', reason: 'Too many wrong passwords. Try again in 3 s.', close: true, password: 'not_asked',
      });
      expect(decideAdmission(request({ proof: rightProof }), room({ passwordKey: key, lockedOutUntil: NOW }))).toMatchObject({ ok: true });
    });

    it('is not asked in an open room, whatever the lockout says', () => {
      expect(decideAdmission(request(), room({ lockedOutUntil: NOW + 60_000 }))).toMatchObject({ ok: true, password: 'not_asked' });
    });
  });

  it('refuses a banned person with the reason, after the password was proved', () => {
    const key = derivePasswordKey('secret', 'salt');
    const ban: BanEntry = { name: 'Ada', userId: userIdFor(CLIENT), address: null, reason: 'spam', at: 0, by: 'the host' };
    const asked: string[] = [];
    const banOf = (userId: string, address: string): BanEntry | undefined => (asked.push(`${userId}@${address}`), ban);
    expect(decideAdmission(request({ proof: passwordProof(key, NONCE, CLIENT) }), room({ passwordKey: key, banOf }))).toEqual({
      ok: false, code: 'banned', reason: 'You are banned from this room. Reason: spam', close: true, password: 'proved',
    });
    expect(asked).toEqual([`${userIdFor(CLIENT)}@192.168.1.20`]);
    expect(decideAdmission(request(), room({ banOf: () => ({ ...ban, reason: '' }) }))).toMatchObject({ reason: 'You are banned from this room.' });
  });

  it('refuses a newcomer to a full room, but lets a member already here reconnect', () => {
    const full = { 'u-1': 'Bo', 'u-2': 'Cy' };
    expect(decideAdmission(request(), room({ maxMembers: 2 }, full))).toEqual({ ok: false, code: 'room_full', reason: 'The room is full (2 people).', close: true, password: 'not_asked' });
    const mine = { [userIdFor(CLIENT)]: 'Ada', 'u-2': 'Cy' };
    expect(decideAdmission(request(), room({ maxMembers: 2 }, mine))).toMatchObject({ ok: true, takeover: true, name: 'Ada' });
  });

  describe('names', () => {
    it('refuses an invalid name without closing', () => {
      expect(decideAdmission(request({ name: 'bad\u0007bell' }), room())).toMatchObject({ ok: false, code: 'name_invalid', close: false });
    });

    it('refuses a name someone else holds, or one that looks like it, naming whose', () => {
      expect(decideAdmission(request({ name: 'ADA' }), room({}, { 'u-1': 'Ada' }))).toEqual({
        ok: false, code: 'name_taken', reason: '"ADA" is already taken here. Pick another name.', close: false, password: 'not_asked',
      });
      expect(decideAdmission(request({ name: 'Ad\u0430' }), room({}, { 'u-1': 'Ada' }))).toMatchObject({ code: 'name_taken', reason: '"Adа" looks too much like "Ada", who is already here. Pick another name.' });
    });

    it('lets a reconnecting client keep its name or take another', () => {
      const here = { [userIdFor(CLIENT)]: 'Ada' };
      expect(decideAdmission(request({ name: 'ada' }), room({}, here))).toMatchObject({ ok: true, takeover: true, name: 'ada' });
      expect(decideAdmission(request({ name: 'Bea' }), room({}, here))).toMatchObject({ ok: true, takeover: true, name: 'Bea' });
    });

    it('gives someone who gave no name their name from before, or a friendly one nobody holds', () => {
      expect(decideAdmission(request({ name: ' ' }), room({}, { [userIdFor(CLIENT)]: 'Ada' }))).toMatchObject({ ok: true, name: 'Ada' });
      const given = decideAdmission(request({ name: '' }), room({}, { 'u-1': 'Bo' }));
      expect(given).toMatchObject({ ok: true, takeover: false });
      const name = given.ok ? given.name : '';
      expect(name.length).toBeGreaterThan(0);
      expect(nameKey(name)).not.toBe(nameKey('Bo'));
    });
  });
});

describe('password lockout', () => {
  it('gives five free wrong passwords, then locks the address out for longer each time, up to five minutes', () => {
    const lockout = new PasswordLockout();
    for (let i = 0; i < 4; i++) lockout.record('10.0.0.5', 'wrong', NOW);
    expect(lockout.until('10.0.0.5')).toBe(0);
    lockout.record('10.0.0.5', 'wrong', NOW);
    expect(lockout.until('10.0.0.5')).toBe(NOW + 2000);
    lockout.record('10.0.0.5', 'wrong', NOW);
    expect(lockout.until('10.0.0.5')).toBe(NOW + 4000);
    for (let i = 0; i < 20; i++) lockout.record('10.0.0.5', 'wrong', NOW);
    expect(lockout.until('10.0.0.5')).toBe(NOW + 5 * 60_000);
    expect(lockout.until('10.0.0.6')).toBeUndefined();
  });

  it('forgets an address once it proves the password; an open room changes nothing', () => {
    const lockout = new PasswordLockout();
    for (let i = 0; i < 6; i++) lockout.record('10.0.0.5', 'wrong', NOW);
    lockout.record('10.0.0.5', 'not_asked', NOW);
    expect(lockout.until('10.0.0.5')).toBe(NOW + 4000);
    lockout.record('10.0.0.5', 'proved', NOW);
    expect(lockout.until('10.0.0.5')).toBeUndefined();
  });
});
