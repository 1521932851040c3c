import { describe, expect, it } from 'vitest';
import { APP_ID, appUserModelId, spellcheckIsLocal } from './platform.ts';

describe('per-OS choices of the desktop shell', () => {
  it('sets the AppUserModelID (the installer’s appId) on Windows only, where the call exists', () => {
    expect(appUserModelId('win32')).toBe('chat.hearth.desktop');
    expect(APP_ID).toBe('chat.hearth.desktop');
    expect(appUserModelId('darwin')).toBeUndefined();
    expect(appUserModelId('linux')).toBeUndefined();
  });

  it('spell-checks only on macOS, whose checker is local; elsewhere it would download dictionaries', () => {
    expect(spellcheckIsLocal('darwin')).toBe(true);
    expect(spellcheckIsLocal('win32')).toBe(false);
    expect(spellcheckIsLocal('linux')).toBe(false);
  });
});
