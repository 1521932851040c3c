// The person's preferences (theme, alerts, muted rooms) and the one shape a settings change
// may take. Both shells keep preferences (the desktop in its settings file, the web client
// in localStorage) and read them through these schemas: every field falls back to its
// default on its own, so a file from an older Hearth, or one damaged by hand, still loads.
import * as v from 'valibot';

export const THEMES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEMES)[number];

/** Enough for every room a person mutes; the oldest is forgotten first. */
export const MAX_MUTED_ROOMS = 50;
/** A room address as joined (host:port, or a link). */
const RoomAddressText = v.pipe(v.string(), v.minLength(1), v.maxLength(300));

export const RecentRoomSchema = v.object({ address: v.pipe(v.string(), v.maxLength(300)), room: v.pipe(v.string(), v.maxLength(100)), lastJoined: v.number() });

export const PreferencesSchema = v.object({
  theme: v.fallback(v.picklist(THEMES), 'system'),
  /** Off until the person turns them on: only then may the app ask the browser's permission. */
  notifications: v.fallback(v.boolean(), false),
  sound: v.fallback(v.boolean(), true),
  /** Rooms whose messages never notify or chime, newest first. */
  mutedRooms: v.fallback(v.pipe(v.array(RoomAddressText), v.maxLength(MAX_MUTED_ROOMS)), []),
});
export type Preferences = v.InferOutput<typeof PreferencesSchema>;

export const SettingsChangeSchema = v.strictObject({
  displayName: v.optional(v.string()),
  rememberRoom: v.optional(RecentRoomSchema),
  forgetRoom: v.optional(v.string()),
  theme: v.optional(v.picklist(THEMES)),
  notifications: v.optional(v.boolean()),
  sound: v.optional(v.boolean()),
  muteRoom: v.optional(v.strictObject({ address: RoomAddressText, muted: v.boolean() })),
});
export type SettingsChange = v.InferOutput<typeof SettingsChangeSchema>;

/** A change as it arrives (over IPC, from storage): the change, or a sentence saying why not. */
export function parseSettingsChange(input: unknown): { ok: true; value: SettingsChange } | { ok: false; error: string } {
  const parsed = v.safeParse(SettingsChangeSchema, input);
  if (parsed.success) return { ok: true, value: parsed.output };
  const issue = parsed.issues[0];
  const where = issue.path?.map((p) => String(p.key)).join('.');
  return { ok: false, error: `Settings not changed: ${where ? `${where}: ` : ''}${issue.message}` };
}

/** The preferences after `change`; fields it does not name stay as they were. */
export function applyPreferenceChange(preferences: Preferences, change: SettingsChange): Preferences {
  const next = { ...preferences, mutedRooms: [...preferences.mutedRooms] };
  if (change.theme !== undefined) next.theme = change.theme;
  if (change.notifications !== undefined) next.notifications = change.notifications;
  if (change.sound !== undefined) next.sound = change.sound;
  if (change.muteRoom) {
    const { address, muted } = change.muteRoom;
    const others = next.mutedRooms.filter((a) => a !== address);
    next.mutedRooms = muted ? [address, ...others].slice(0, MAX_MUTED_ROOMS) : others;
  }
  return next;
}

export function isRoomMuted(preferences: Pick<Preferences, 'mutedRooms'>, address: string): boolean {
  return preferences.mutedRooms.includes(address);
}
