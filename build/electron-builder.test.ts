// electron-builder.yml against electron-builder's own schema (shipped in app-builder-lib),
// plus the rules Hearth's installers must keep: the fuses, the macOS entitlements a signed
// build needs to start, the Windows firewall rule, the app id the app uses at run time.
import { Ajv } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { APP_ID } from '../main/services/platform.ts';

const require = createRequire(import.meta.url);
const root = new URL('../', import.meta.url);
// Loosely typed on purpose: the schema is what checks the shape here.
type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const config = parse(readFileSync(new URL('electron-builder.yml', root), 'utf8')) as Loose;
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as Loose;

describe('electron-builder.yml', () => {
  it('is valid against electron-builder’s schema', () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? [], ajv.errorsText(validate.errors)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('catches a typo (the schema test is not vacuous)', () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate({ ...config, linux: { ...config['linux'], categroy: 'Network' } })).toBe(false);
  });

  it('builds the installers Hearth ships, from the build output only', () => {
    expect(config['productName']).toBe('Hearth');
    expect(config['linux'].target).toEqual(['AppImage', 'deb']);
    expect(config['linux'].category).toBe('Network');
    expect(config['win'].target).toEqual(['nsis']);
    expect(config['mac'].target).toEqual(['dmg']);
    expect(config['files'].filter((f: string) => !f.startsWith('!'))).toEqual(['out/**/*', 'package.json']);
    expect(config['mac'].extendInfo.NSBonjourServices).toEqual(['_hearth._tcp']);
    for (const file of [config['linux'].icon, config['mac'].entitlements, config['nsis'].include]) {
      expect(existsSync(new URL(file, root)), file).toBe(true);
    }
  });

  it('has what the deb needs in package.json', () => {
    expect(pkg['author'].email).toMatch(/@/);
    expect(pkg['homepage']).toMatch(/^https:\/\//);
    expect(pkg['main']).toBe('out/main/index.js');
    expect(pkg['devDependencies'].electron).toBeDefined();
    expect(pkg['dependencies'].electron).toBeUndefined();
  });
});

describe('fuses', () => {
  it('never lets the packaged app be used as a Node runtime, debugged from outside, or load another app', () => {
    expect(config['electronFuses']).toEqual({
      runAsNode: false, // ELECTRON_RUN_AS_NODE would turn Hearth.exe into node.exe
      enableNodeOptionsEnvironmentVariable: false, // NODE_OPTIONS=--require … would run any script inside it
      enableNodeCliInspectArguments: false, // --inspect would open a debugger into the main process
      enableEmbeddedAsarIntegrityValidation: true, // a modified app.asar refuses to load…
      onlyLoadAppFromAsar: true, // …and an app folder beside it is not loaded instead
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false, // pages come from app://, file:// needs nothing extra
    });
    // Integrity is checked on the asar: without one the fuse protects nothing.
    expect(config['asar']).toBe(true);
  });
});

/**
 * The entitlements file as key → boolean. Only a flat <dict> of booleans is accepted
 * (comments aside): anything else fails, so the test cannot pass on a file it misreads.
 */
function plistBooleans(file: string): Record<string, boolean> {
  const xml = readFileSync(new URL(file, root), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
  const dict = /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*<!DOCTYPE plist [^>]+>\s*<plist version="1\.0">\s*<dict>([\s\S]*)<\/dict>\s*<\/plist>\s*$/.exec(xml);
  if (!dict) throw new Error(`${file} is not a plist with one <dict>`);
  const entries: Record<string, boolean> = {};
  const rest = dict[1]!.replace(/\s*<key>([^<]+)<\/key>\s*<(true|false)\/>/g, (_all, key: string, value: string) => {
    if (key in entries) throw new Error(`${file}: ${key} twice`);
    entries[key] = value === 'true';
    return '';
  });
  if (rest.trim() !== '') throw new Error(`${file}: unexpected content ${rest.trim().slice(0, 80)}`);
  return entries;
}

describe('macOS entitlements', () => {
  const jit = ['com.apple.security.cs.allow-jit', 'com.apple.security.cs.allow-unsigned-executable-memory', 'com.apple.security.cs.disable-library-validation'];

  it('give the app and its helpers what V8 and Electron need under the hardened runtime', () => {
    expect(config['mac'].hardenedRuntime).toBe(true);
    for (const file of [config['mac'].entitlements, config['mac'].entitlementsInherit]) {
      const rights = plistBooleans(file);
      for (const key of jit) expect(rights[key], `${file}: ${key}`).toBe(true);
    }
  });

  it('claims no App Sandbox rights outside the App Sandbox', () => {
    const rights = plistBooleans(config['mac'].entitlements);
    expect(rights['com.apple.security.app-sandbox']).toBeUndefined();
    // network.client/server only mean something inside the sandbox: here they would only mislead.
    expect(Object.keys(rights).filter((key) => key.startsWith('com.apple.security.network.'))).toEqual([]);
  });

  it('reads only a flat dict of booleans (the parser is not lenient)', () => {
    expect(() => plistBooleans('package.json')).toThrow();
  });
});

describe('Windows', () => {
  const nsh = readFileSync(new URL(config['nsis'].include, root), 'utf8');
  const addRule = /netsh advfirewall firewall add rule ([^\n]+)/.exec(nsh)?.[1] ?? '';

  it('uses the app id as the AppUserModelID the app sets at run time (notifications)', () => {
    expect(config['appId']).toBe(APP_ID);
  });

  it('installs per machine, so the installer is elevated and can add the firewall rule', () => {
    expect(config['nsis'].perMachine).toBe(true);
  });

  it('adds one inbound program rule for Hearth on any port, checks that it worked, and removes it on uninstall', () => {
    expect(addRule).toContain('dir=in');
    expect(addRule).toContain('action=allow');
    expect(addRule).toMatch(/program="\$INSTDIR\\\$\{APP_EXECUTABLE_FILENAME\}"/);
    // Hosting falls back to another port when 47800 is taken: a port-pinned rule would miss it.
    expect(addRule).not.toMatch(/localport=|protocol=/);
    expect(addRule).toMatch(/profile=private,domain\b/);
    expect(nsh).toMatch(/Pop \$0\s+\$\{If\} \$0 != 0\s+DetailPrint/);
    expect(nsh).toMatch(/!macro customUnInstall[\s\S]*hearthDeleteFirewallRules[\s\S]*!macroend/);
    expect(nsh).toMatch(/delete rule name="\$\{HEARTH_FIREWALL_RULE\}"/);
  });
});
