// User preferences of the desktop app: display name, client id, rooms joined before, and
// the preferences of common/settings.ts (theme, notifications, sound, muted rooms).
// One JSON file, written atomically; a damaged file is replaced, never trusted. A folder
// that cannot be written (a read-only disk) costs persistence, not the app: settings then
// last until Hearth quits, and the reason is logged once.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as v from 'valibot';
import { randomId } from '../../common/ids.ts';
import type { Settings } from '../../common/ipc.ts';
import { checkName } from '../../common/names.ts';
import { applyPreferenceChange, parseSettingsChange, PreferencesSchema, RecentRoomSchema } from '../../common/settings.ts';

const MAX_RECENT = 8;

const SettingsFile = v.object({
  displayName: v.fallback(v.pipe(v.string(), v.maxLength(64)), ''),
  clientId: v.fallback(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{16,64}$/)), () => randomId(22)),
  recentRooms: v.fallback(v.pipe(v.array(RecentRoomSchema), v.maxLength(50)), []),
  ...PreferencesSchema.entries,
});

export class SettingsStore {
  readonly #file: string;
  #settings: Settings;

  #saveFailed = false;

  constructor(dir: string) {
    this.#file = join(dir, 'settings.json');
    this.#settings = this.#load();
  }

  get(): Settings {
    return structuredClone(this.#settings);
  }

  /** `input` comes over IPC: it is checked here, and a change that is not one changes nothing. */
  update(input: unknown): { ok: true; value: Settings } | { ok: false; error: string } {
    const parsed = parseSettingsChange(input);
    if (!parsed.ok) return parsed;
    const change = parsed.value;
    // A new object; recentRooms is replaced below, never changed in place.
    const next: Settings = { ...this.#settings, ...applyPreferenceChange(this.#settings, change) };
    if (change.displayName !== undefined) {
      if (change.displayName.trim() === '') next.displayName = '';
      else {
        const check = checkName(change.displayName);
        if (!check.ok) return { ok: false, error: check.reason };
        next.displayName = check.name;
      }
    }
    if (change.forgetRoom !== undefined) next.recentRooms = next.recentRooms.filter((r) => r.address !== change.forgetRoom);
    if (change.rememberRoom) {
      const room = change.rememberRoom;
      next.recentRooms = [room, ...next.recentRooms.filter((r) => r.address !== room.address)].slice(0, MAX_RECENT);
    }
    this.#settings = next;
    this.#save();
    return { ok: true, value: this.get() };
  }

  #load(): Settings {
    let raw: unknown = {};
    try {
      raw = JSON.parse(readFileSync(this.#file, 'utf8'));
    } catch {
      // Missing or damaged: start fresh.
    }
    const parsed = v.safeParse(SettingsFile, typeof raw === 'object' && raw !== null ? raw : {});
    const settings: Settings = parsed.success ? parsed.output : v.parse(SettingsFile, {});
    this.#settings = settings;
    this.#save();
    return settings;
  }

  #save(): void {
    const tmp = `${this.#file}.tmp`;
    try {
      mkdirSync(dirname(this.#file), { recursive: true });
      writeFileSync(tmp, `${JSON.stringify(this.#settings, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, this.#file);
    } catch (error) {
      if (!this.#saveFailed) console.warn(`hearth: cannot save settings in ${this.#file} (${(error as Error).message}); they last until Hearth quits`);
      this.#saveFailed = true;
    }
  }
}
