// What the desktop shell does differently per OS, as pure functions of the platform so
// each choice is unit-tested here and main/index.ts only applies it.

/**
 * electron-builder's appId (electron-builder.yml; build/electron-builder.test.ts keeps
 * them equal). The NSIS installer gives the Start-menu shortcut this AppUserModelID, and
 * Windows shows a toast only for an app whose ID matches its shortcut: without the same
 * ID at run time, notifications never appear.
 */
export const APP_ID = 'chat.hearth.desktop';

/** The AppUserModelID to set, on Windows only (the call exists only there). */
export function appUserModelId(platform: NodeJS.Platform): string | undefined {
  return platform === 'win32' ? APP_ID : undefined;
}

/**
 * Spell-check only where the checker is local. macOS uses the system's checker; on
 * Windows and Linux Chromium's Hunspell dictionaries are downloaded from Google's CDN at
 * run time, which a LAN app must not do (and cannot, offline). Off there, for the
 * session too: the download starts even when no window asks for spell-checking.
 */
export function spellcheckIsLocal(platform: NodeJS.Platform): boolean {
  return platform === 'darwin';
}
