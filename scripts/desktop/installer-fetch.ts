// Loaded with `node --import` into Electron's own installer (node_modules/electron/install.js)
// by electron-binary.ts, around the installer's fetch, which has no time limit of its own:
// - it tells the launcher which server it asks and when the answer has come, and gives the
//   request up when the launcher says the server took too long (a firewall that drops
//   packets), so the installer fails its usual way and cleans up after itself;
// - a download that then stalls is given up;
// - progress goes to stdout on a terminal: the installer's stderr is kept for the
//   launcher's one sentence, so its own progress bar would not be seen;
// - a network failure becomes words ("cannot reach github.com: its name does not resolve").
export type InstallerNews = { request: string } | { answered: string };
export interface GiveUp {
  giveUp: string;
}

const stallMs = 30_000;

// Network errors by their code, as a person would say them.
const REASONS: Record<string, string> = {
  ENOTFOUND: 'its name does not resolve',
  EAI_AGAIN: 'its name does not resolve',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
};

const tell = (news: InstallerNews) => process.send?.(news);
const waiting = new Set<AbortController>();
process.on('message', ({ giveUp }: GiveUp) => {
  for (const request of waiting) request.abort(new Error(giveUp));
});
// The channel to the launcher must not keep the installer running once it is done.
process.channel?.unref();

const fetchUnwatched = globalThis.fetch;

globalThis.fetch = async function fetchWatched(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : input);
  const giveUp = new AbortController();
  const signal = init?.signal ? AbortSignal.any([init.signal, giveUp.signal]) : giveUp.signal;
  waiting.add(giveUp);
  tell({ request: url.host });
  let response: Response;
  try {
    response = await fetchUnwatched(input, { ...init, signal });
  } catch (error) {
    throw giveUp.signal.aborted ? giveUp.signal.reason : unreachable(url, error);
  } finally {
    waiting.delete(giveUp);
  }
  tell({ answered: url.host });
  return response.ok && response.body ? watched(response, url, giveUp) : response;
};

function unreachable(url: URL, error: unknown): Error {
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const why = (cause?.code && REASONS[cause.code]) || cause?.code || cause?.message || String(error);
  return new Error(`cannot reach ${url.host}: ${why}`);
}

/** The body as it arrives: progress on a terminal, and given up when nothing comes for a while. */
function watched(response: Response, url: URL, giveUp: AbortController): Response {
  const name = url.pathname.split('/').pop() || url.host;
  const total = Number(response.headers.get('content-length')) || 0;
  const show = Boolean(process.stdout.isTTY) && total > 0;
  let received = 0;
  let shown = -1;
  let stall: NodeJS.Timeout | undefined;
  const stalled = () => giveUp.abort(new Error(`the download from ${url.host} stalled (nothing for ${stallMs / 1000} s)`));
  const body = response.body!.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      start() {
        // unref: a download that fails some other way must not wait for this timer to exit.
        stall = setTimeout(stalled, stallMs).unref();
      },
      transform(chunk, controller) {
        stall?.refresh();
        received += chunk.byteLength;
        const percent = Math.floor((received / total) * 100);
        if (show && percent !== shown) {
          shown = percent;
          process.stdout.write(`\rDownloading ${name}: ${percent}% of ${Math.round(total / 1e6)} MB`);
        }
        controller.enqueue(chunk);
      },
      flush() {
        clearTimeout(stall);
        if (show) process.stdout.write('\n');
      },
    }),
  );
  // The installer reads only ok, headers and body from a successful response.
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
