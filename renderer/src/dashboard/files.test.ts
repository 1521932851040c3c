import { describe, expect, it } from 'vitest';
import type { DashboardFile, DashboardFiles } from '../../../common/dashboard.ts';
import { deleteFilesTooWords, fileDetails, fileLabel, filesInHistory, usagePercent, usageWords } from './files.ts';

const photo: DashboardFile = { id: 'a'.repeat(64), name: 'beach.png', size: 2_400_000, type: 'image/png', from: 'Ada', at: 1, messages: 1 };
const orphan: DashboardFile = { id: 'b'.repeat(64), name: '', size: 512, type: '', from: '', at: 2, messages: 0 };
const report: DashboardFile = { id: 'c'.repeat(64), name: 'report.pdf', size: 16_000_000, type: 'application/pdf', from: 'Bo', at: 3, messages: 3 };

function files(list: DashboardFile[], extra: Partial<DashboardFiles> = {}): DashboardFiles {
  const usedBytes = list.reduce((sum, f) => sum + f.size, 0);
  const carried = list.filter((f) => f.messages > 0);
  const inHistory = { count: carried.length, bytes: carried.reduce((sum, f) => sum + f.size, 0) };
  return { usedBytes, reservedBytes: 0, quotaBytes: 10_000_000_000, maxFileBytes: 2_000_000_000, count: list.length, inHistory, list, ...extra };
}

describe('files on the dashboard', () => {
  it('says how much space files take of the quota, uploads in progress included', () => {
    expect(usageWords(files([photo, report]))).toBe('18 MB of 10 GB used · 2 files');
    expect(usageWords(files([photo]))).toBe('2.4 MB of 10 GB used · 1 file');
    expect(usageWords(files([], { reservedBytes: 200_000_000 }))).toBe('0 B of 10 GB used · 0 files · 200 MB held for uploads in progress');
    expect(usagePercent(files([], { usedBytes: 2_500_000_000, reservedBytes: 2_500_000_000 }))).toBe(50);
    expect(usagePercent(files([], { usedBytes: 20, quotaBytes: 0 }))).toBe(100);
  });

  it('names each file, and says who shared it or that no message carries it', () => {
    expect(fileLabel(photo)).toBe('beach.png');
    // Its name lived in the messages a clear took: the host no longer knows it (it had one).
    expect(fileLabel(orphan)).toBe('File bbbbbbbb');
    expect(fileDetails(photo)).toBe('2.4 MB · image/png · shared by Ada');
    expect(fileDetails(report)).toBe('16 MB · application/pdf · shared by Bo in 3 messages');
    expect(fileDetails(orphan)).toBe('512 B · not in the history, so its name is not known');
  });

  it('offers to delete, with the history, the files its messages carry (as the host counted them, listed or not)', () => {
    expect(filesInHistory(files([photo, orphan, report]))).toEqual({ count: 2, bytes: 18_400_000 });
    expect(filesInHistory(files([photo], { count: 900, inHistory: { count: 800, bytes: 9_000_000_000 } }))).toEqual({ count: 800, bytes: 9_000_000_000 });
    expect(filesInHistory(null)).toEqual({ count: 0, bytes: 0 });
    expect(deleteFilesTooWords({ count: 2, bytes: 18_400_000 })).toBe('Delete the 2 files too (18 MB)');
    expect(deleteFilesTooWords({ count: 1, bytes: 2_400_000 })).toBe('Delete the file too (2.4 MB)');
  });
});
