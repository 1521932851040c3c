// How the dashboard speaks of the files kept on the host: space used, each file's line, and
// what clearing the history would take with it.
import type { DashboardFile, DashboardFiles } from '../../../common/dashboard.ts';
import { formatBytes } from '../../../common/files.ts';

/** "1.2 GB of 10 GB used · 14 files" (uploads in progress, when there are some, said apart). */
export function usageWords(files: DashboardFiles): string {
  const count = files.count === 1 ? '1 file' : `${files.count} files`;
  const reserved = files.reservedBytes > 0 ? ` · ${formatBytes(files.reservedBytes)} held for uploads in progress` : '';
  return `${formatBytes(files.usedBytes)} of ${formatBytes(files.quotaBytes)} used · ${count}${reserved}`;
}

/** How full the quota is, 0 to 100 (uploads in progress count: they hold their space). */
export function usagePercent(files: DashboardFiles): number {
  if (files.quotaBytes <= 0) return 100;
  return Math.min(100, Math.round(((files.usedBytes + files.reservedBytes) / files.quotaBytes) * 100));
}

/**
 * The name a file is listed under: the one its newest message gave it. A file no message
 * carries (the history was cleared without it) had a name the host no longer knows: "File
 * 268ec9fd", by the start of its hash, never "unnamed".
 */
export function fileLabel(file: DashboardFile): string {
  return file.name || `File ${file.id.slice(0, 8)}`;
}

/** "2.4 MB · image/png · shared by Ada in 3 messages", or "… · not in the history, so its name is not known". */
export function fileDetails(file: DashboardFile): string {
  const kind = file.type ? ` · ${file.type}` : '';
  if (file.messages === 0) return `${formatBytes(file.size)}${kind} · not in the history, so its name is not known`;
  const where = file.messages === 1 ? '' : ` in ${file.messages} messages`;
  return `${formatBytes(file.size)}${kind} · shared by ${file.from}${where}`;
}

/** The files a clear of the history could delete with it: those its messages carry. */
export function filesInHistory(files: DashboardFiles | null): { count: number; bytes: number } {
  return files?.inHistory ?? { count: 0, bytes: 0 };
}

/** The clear confirmation's checkbox: "Delete the 3 files too (18 MB)". */
export function deleteFilesTooWords({ count, bytes }: { count: number; bytes: number }): string {
  return `Delete the ${count === 1 ? 'file' : `${count} files`} too (${formatBytes(bytes)})`;
}
