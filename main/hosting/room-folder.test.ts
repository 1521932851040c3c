import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { roomHistoryDir, slug } from './room-folder.ts';

describe('roomHistoryDir', () => {
  it('keeps each room in its own folder under rooms/, the same one every time', () => {
    expect(roomHistoryDir('/data', 'Kitchen')).toBe(join('/data', 'rooms', slug('Kitchen')));
    expect(roomHistoryDir('/data', 'Kitchen')).toBe(roomHistoryDir('/data', 'Kitchen'));
    expect(roomHistoryDir('/data', 'Kitchen')).not.toBe(roomHistoryDir('/data', 'kitchen'));
  });

  it('never leaves rooms/, whatever the name', () => {
    for (const name of ['../../etc', '..', '/', 'C:\\Windows', 'a/../../b']) {
      expect(roomHistoryDir('/data', name).startsWith(join('/data', 'rooms') + '/')).toBe(true);
      expect(slug(name)).toMatch(/^[a-z0-9-]+$/);
    }
  });
});
