import { describe, expect, it } from 'vitest';
import { canPreview, cardDetail, fileKind, fitImage } from './file-kinds.ts';

describe('file kinds', () => {
  it('names a file’s kind from its type', () => {
    expect(fileKind('application/pdf')).toEqual({ kind: 'pdf', label: 'PDF' });
    expect(fileKind('application/zip').kind).toBe('archive');
    expect(fileKind('video/mp4').kind).toBe('video');
    expect(fileKind('application/vnd.openxmlformats-officedocument.wordprocessingml.document').kind).toBe('document');
    expect(fileKind('application/octet-stream')).toEqual({ kind: 'file', label: 'file' });
  });

  it('words the card’s detail line with size and kind', () => {
    expect(cardDetail('1.2 MB', 'report.pdf', 'application/pdf')).toBe('1.2 MB · PDF');
    expect(cardDetail('18 KB', 'photos.zip', 'application/zip')).toBe('18 KB · ZIP archive');
    expect(cardDetail('3 B', 'README', 'application/octet-stream')).toBe('3 B · file');
  });

  it('scales an image down to fit, keeping its shape, and never up', () => {
    expect(fitImage({ width: 4000, height: 3000 }, { width: 360, height: 320 })).toEqual({ width: 360, height: 270 });
    expect(fitImage({ width: 1000, height: 4000 }, { width: 360, height: 320 })).toEqual({ width: 80, height: 320 });
    expect(fitImage({ width: 40, height: 30 }, { width: 360, height: 320 })).toEqual({ width: 40, height: 30 });
  });

  it('previews only raster images from disk, never SVG', () => {
    expect(['image/png', 'image/jpeg', 'image/gif', 'image/webp'].every(canPreview)).toBe(true);
    expect(canPreview('image/svg+xml')).toBe(false);
    expect(canPreview('text/html')).toBe(false);
  });
});
