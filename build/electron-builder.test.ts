// electron-builder.yml against electron-builder's own schema (shipped in app-builder-lib),
// plus the few things Hearth's installers must have.
import { Ajv } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

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
    expect(config['electronFuses']).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false });
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
