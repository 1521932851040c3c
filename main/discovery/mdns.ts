// bonjour-service's mDNS transport, made safe to run inside an app that must never crash
// because of it. One per LAN interface: multicast-dns sends only through one interface, so
// a single socket is invisible on every other link of a multi-homed machine.
// Hearth answers and browses with its own code (responder.ts, room-records.ts), so it needs
// the library's transport, not its registry or browser: bonjour-service's Server, a public
// class imported by its dist path (bonjour-service/dist/lib/mdns-server.js, outside the
// package's entry point, so package.json pins the version with ~), whose `mdns` is public;
// no private field is read. The wrapper catches what the library leaves loose: its default
// error callback throws, and the socket's 'error' events have no listener. A datagram that
// does not decode is one neighbour's bad packet, not a broken link: it is dropped.
import type { EventEmitter } from 'node:events';
import { Server } from 'bonjour-service/dist/lib/mdns-server.js';

/** The multicast-dns instance a Server sends and receives through. */
export interface MdnsSocket extends EventEmitter {
  query(q: { questions: Array<{ name: string; type: string }>; authorities?: unknown[] }, cb?: (error: Error | null) => void): void;
  respond(packet: unknown, rinfo?: { address: string; port: number } | ((error: Error | null) => void), cb?: (error: Error | null) => void): void;
}

export interface MdnsEndpoint {
  /** The IPv4 address of the interface this endpoint sends through. */
  interfaceAddress: string;
  mdns: MdnsSocket;
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
  const server = new Server({ interface: interfaceAddress, bind: '0.0.0.0' } as never, report);
  const mdns = server.mdns as MdnsSocket & { destroy(cb: () => void): void };
  mdns.on('error', report);
  mdns.on('warning', (error: NodeJS.ErrnoException) => {
    // multicast-dns warns about a datagram it cannot decode too ("The value of "offset" is
    // out of range"): only a failed socket call (it names its syscall: send, addMembership,
    // setMulticastInterface) means this link cannot do multicast.
    if (!isUndecodablePacket(error) && error.code !== 'EINVAL') report(error);
  });
  let destroyed = false;
  return {
    interfaceAddress,
    mdns,
    destroy: () =>
      new Promise<void>((resolve) => {
        if (destroyed) return resolve();
        destroyed = true;
        try {
          mdns.destroy(() => resolve());
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

/** A 'warning' that is a datagram multicast-dns could not decode: it names no syscall (see openEndpoint). */
export function isUndecodablePacket(error: unknown): boolean {
  return typeof (error as NodeJS.ErrnoException | undefined)?.syscall !== 'string';
}
