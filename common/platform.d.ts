// The few globals that exist in every process Hearth runs in (Node, browsers, Electron's
// renderer), declared here so common/ can use them without seeing Node or DOM types.
type TimerHandle = { readonly __timer: unique symbol } | number;
declare function setTimeout(callback: () => void, ms?: number): TimerHandle;
declare function clearTimeout(handle: TimerHandle | undefined): void;
declare const crypto: { getRandomValues<T extends Uint8Array>(array: T): T };
declare class URL {
  constructor(url: string, base?: string);
  readonly protocol: string;
  readonly hostname: string;
  readonly port: string;
  readonly username: string;
  readonly password: string;
}
