// A window whose page fails to load must never leave an invisible app behind (windows are
// created hidden and shown on ready-to-show, which a failed load may never reach). The
// window is shown with this page instead. Pure (no electron import), unit-tested.
import { isAppUrl } from './trust.ts';

/** Chromium's ERR_ABORTED: a load replaced by another (a reload, Vite's hot reload). */
const ERR_ABORTED = -3;

/** Whether a did-fail-load means the window has no page. */
export function isWindowLoadFailure(errorCode: number, isMainFrame: boolean): boolean {
  return isMainFrame && errorCode !== ERR_ABORTED;
}

export interface LoadFailure {
  url: string;
  errorCode: number;
  description: string;
}

/** The page shown instead, as a data: URL: nothing loaded from anywhere, no script. */
export function loadErrorPage(failure: LoadFailure): string {
  const advice = isAppUrl(failure.url)
    ? "Hearth's own files could not be read: the installation is damaged. Reinstalling Hearth should fix it."
    : 'The development server did not answer. Is `npm run dev` still running?';
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Hearth could not start</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#eee;background:#17141b}code{word-break:break-all}</style>
</head><body><h1>Hearth could not open its window</h1>
<p>${escapeHtml(advice)}</p>
<p>Loading <code>${escapeHtml(failure.url)}</code> failed: ${escapeHtml(failure.description || 'unknown error')} (${failure.errorCode}).</p>
<p>Quit Hearth and start it again once this is fixed.</p></body></html>`;
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
