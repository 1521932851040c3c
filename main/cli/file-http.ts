// The HTTP side of the room for `hearth join`: one agent for every upload and download,
// which over TLS checks the host's certificate against the pin exactly as the room's
// WebSocket does (a certificate that is not the pinned one ends the connection before a
// byte of a file crosses it), and the host's error answers turned into sentences.
import { Agent as HttpAgent, request as httpRequest, type Agent, type ClientRequest, type ClientRequestArgs, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import type { ConnectionOptions } from 'node:tls';
import { formatBytes } from '../../common/files.ts';
import { pinnedTlsConnect } from '../discovery/identity-probe.ts';

/** At most this much of an error answer is read: enough for the host's sentence. */
const MAX_ANSWER_BYTES = 2048;

/** An https agent whose every connection is checked against the pinned certificate. */
class PinnedAgent extends HttpsAgent {
  #connect: (options: ConnectionOptions) => Duplex;

  constructor(pinned: string, onMismatch: (presented: string) => void) {
    // No TLS session cache: each connection shows its certificate and is checked.
    super({ keepAlive: true, maxCachedSessions: 0 });
    this.#connect = pinnedTlsConnect(pinned, onMismatch);
  }

  override createConnection(options: ClientRequestArgs): Duplex {
    return this.#connect(options as ConnectionOptions);
  }
}

/** The agent for a room reached at `base`: pinned https when the room was joined encrypted, else http. */
export function roomAgent(pinned: string | undefined, onMismatch: (presented: string) => void): Agent {
  return pinned === undefined ? new HttpAgent({ keepAlive: true }) : new PinnedAgent(pinned, onMismatch);
}

/** A GET (or HEAD) through the room's agent; resolves with the response's head, its body unread. */
export function roomGet(url: URL, agent: Agent, headers: OutgoingHttpHeaders, started: (request: ClientRequest) => void = () => {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, { method: 'GET', agent, headers }, resolve);
    request.once('error', reject);
    started(request);
    request.end();
  });
}

/** The host's sentence from an error answer's body, or words for its status when it has none. */
export async function answerSentence(response: IncomingMessage): Promise<string> {
  let body = '';
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      body += chunk.toString('utf8');
      if (body.length >= MAX_ANSWER_BYTES) break;
    }
  } catch {
    // A cut answer: its status still says enough.
  }
  response.destroy();
  return answerWords(response.statusCode ?? 0, body);
}

/** A status and body from the host as one sentence a person can read (never HTML, never a control). */
export function answerWords(status: number, body: string): string {
  const sentence = body
    .slice(0, MAX_ANSWER_BYTES)
    .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .trim();
  const fromHost = sentence !== '' && !sentence.startsWith('<') && !sentence.startsWith('{') ? sentence : '';
  return fromHost || STATUS_WORDS[status] || `The host answered ${status}.`;
}

const STATUS_WORDS: Record<number, string> = {
  401: 'The host no longer knows this connection (it may have restarted). Try again in a moment.',
  403: 'The host says this file is not yours to see.',
  404: 'The host does not have this file any more.',
  410: 'The host deleted this file.',
  413: 'The file is larger than this room takes.',
  429: 'The host is busy with your other files. Try again in a moment.',
  507: 'The host has no room left for this file.',
};

/** "report.pdf is 2.1 GB; this room takes files up to 2.0 GB." */
export function tooLargeWords(name: string, size: number, max: number): string {
  // Sizes that round alike ("1.0 KB … up to 1.0 KB") are given in bytes.
  const same = formatBytes(size) === formatBytes(max);
  const words = (bytes: number) => (same ? `${bytes.toLocaleString('en-US')} bytes` : formatBytes(bytes));
  return `${name} is ${words(size)}; this room takes files up to ${words(max)}.`;
}
