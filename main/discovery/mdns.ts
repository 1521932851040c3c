// bonjour-service, made safe to run inside an app that must never crash because of it.
// One Bonjour per LAN interface: multicast-dns sends only through one interface, so a
// single instance is invisible on every other link of a multi-homed machine.
// The wrapper catches what bonjour-service leaves loose: its default error callback
// throws, and the multicast socket's 'error' events have no listener.
import { Bonjour } from 'bonjour-service';
import type { EventEmitter } from 'node:events';

/** The parts of bonjour-service's internals this module relies on (checked by tests). */
export interface MdnsSocket extends EventEmitter {
  query(q: { questions: Array<{ name: string; type: string }> }, cb?: (error: Error | null) => void): void;
  respond(packet: unknown, cb?: (error: Error | null) => void): void;
}
interface BonjourInternals {
  server: { mdns: MdnsSocket; register(records: unknown): void; unregister(records: unknown): void };
}

export interface MdnsEndpoint {
  /** The IPv4 address of the interface this endpoint sends through. */
  interfaceAddress: string;
  bonjour: Bonjour;
  mdns: MdnsSocket;
  internals: BonjourInternals['server'];
  destroy(): Promise<void>;
}

/** A sentence for the UI: "discovery unavailable: <reason>". */
export function describeMdnsError(error: unknown): string {
  const e = error as NodeJS.ErrnoException | undefined;
  switch (e?.code) {
    case 'EADDRINUSE':
      return 'port 5353 is used by another program';
    case 'EACCES':
    case 'EPERM':
      return 'not allowed to use multicast (port 5353)';
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return 'no multicast route on this network';
    case 'EADDRNOTAVAIL':
    case 'ENODEV':
      return 'the network interface went away';
    default:
      return e?.message ?? String(error);
  }
}

export function openEndpoint(interfaceAddress: string, onError: (reason: string) => void): MdnsEndpoint {
  let reported = false;
  const report = (error: unknown) => {
    if (reported) return;
    reported = true;
    onError(describeMdnsError(error));
  };
  // bind 0.0.0.0: a socket bound to the interface's own address never receives multicast.
  const bonjour = new Bonjour({ interface: interfaceAddress, bind: '0.0.0.0' } as never, report);
  const internals = (bonjour as unknown as BonjourInternals).server;
  const mdns = internals.mdns;
  mdns.on('error', report);
  mdns.on('warning', (error: NodeJS.ErrnoException) => {
    // Membership and interface warnings mean this link cannot do multicast.
    if (error?.code && error.code !== 'EINVAL') report(error);
  });
  let destroyed = false;
  return {
    interfaceAddress,
    bonjour,
    mdns,
    internals,
    destroy: () =>
      new Promise<void>((resolve) => {
        if (destroyed) return resolve();
        destroyed = true;
        try {
          bonjour.destroy(() => resolve());
        } catch {
          resolve();
        }
        setTimeout(resolve, 500).unref();
      }),
  };
}

/**
 * Ask the network something and report whether the question could be sent at all: a
 * missing multicast route only shows up as a failed send.
 */
export function checkSend(endpoint: MdnsEndpoint, name: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    endpoint.mdns.query({ questions: [{ name, type: 'PTR' }] }, (error) => resolve(error ? describeMdnsError(error) : undefined));
  });
}
