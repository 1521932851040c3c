import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../test/support/host.ts';
import { SettingsStore } from './settings.ts';

const dir = tempDirsPerTest('hearth-settings-');

function saved(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(path, 'settings.json'), 'utf8')) as Record<string, unknown>;
}

describe('SettingsStore preferences', () => {
  it('starts with the system theme, notifications off and sound on', () => {
    const settings = new SettingsStore(dir()).get();
    expect(settings).toMatchObject({ theme: 'system', notifications: false, sound: true, mutedRooms: [] });
  });

  it('loads a settings file from before preferences existed, keeping what it had', () => {
    const path = dir();
    const old = { displayName: 'Zoë', clientId: 'abcdefghijklmnopqrstuv', recentRooms: [{ address: '10.0.0.2:47800', room: 'Kitchen', lastJoined: 5 }] };
    writeFileSync(join(path, 'settings.json'), JSON.stringify(old));
    expect(new SettingsStore(path).get()).toEqual({ ...old, theme: 'system', notifications: false, sound: true, mutedRooms: [] });
  });

  it('replaces a damaged preference with its default and keeps the others', () => {
    const path = dir();
    writeFileSync(join(path, 'settings.json'), JSON.stringify({ displayName: 'Ann', theme: 'purple', notifications: true, sound: 'loud', mutedRooms: 'all' }));
    expect(new SettingsStore(path).get()).toMatchObject({ displayName: 'Ann', theme: 'system', notifications: true, sound: true, mutedRooms: [] });
  });

  it('keeps theme, notifications and sound across restarts', () => {
    const path = dir();
    const store = new SettingsStore(path);
    expect(store.update({ theme: 'dark' })).toMatchObject({ ok: true, value: { theme: 'dark' } });
    expect(store.update({ notifications: true, sound: false })).toMatchObject({ ok: true, value: { theme: 'dark', notifications: true, sound: false } });
    expect(saved(path)).toMatchObject({ theme: 'dark', notifications: true, sound: false });
    expect(new SettingsStore(path).get()).toMatchObject({ theme: 'dark', notifications: true, sound: false });
  });

  it('mutes and unmutes rooms by address, newest first, each once, in a bounded list', () => {
    const store = new SettingsStore(dir());
    for (let i = 0; i < 60; i++) store.update({ muteRoom: { address: `10.0.0.${i}:47800`, muted: true } });
    let muted = store.get().mutedRooms;
    expect(muted).toHaveLength(50);
    expect(muted[0]).toBe('10.0.0.59:47800');
    expect(muted).not.toContain('10.0.0.0:47800');
    store.update({ muteRoom: { address: '10.0.0.30:47800', muted: true } });
    muted = store.get().mutedRooms;
    expect(muted[0]).toBe('10.0.0.30:47800');
    expect(muted.filter((a) => a === '10.0.0.30:47800')).toHaveLength(1);
    store.update({ muteRoom: { address: '10.0.0.30:47800', muted: false } });
    expect(store.get().mutedRooms).not.toContain('10.0.0.30:47800');
  });

  it('refuses a change that is not a settings change, and changes nothing', () => {
    const store = new SettingsStore(dir());
    const before = store.get();
    for (const change of [{ theme: 'purple' }, { notifications: 'yes' }, { muteRoom: { address: '', muted: true } }, { muteRoom: { address: 'x'.repeat(400), muted: true } }, { sound: false, surprise: 1 }, 'theme', null]) {
      const result = store.update(change);
      expect(result, JSON.stringify(change)).toMatchObject({ ok: false, error: expect.stringMatching(/^Settings not changed: /) });
    }
    expect(store.get()).toEqual(before);
  });
});
