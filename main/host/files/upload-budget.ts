// What one member, and one address, may hold in uploads at once: open uploads (unfinished,
// or finished and not yet shared), bytes reserved by them, and how fast new ones are made.
// Per address as well as per member, because a member is only as stable as the clientId a
// client chooses: a new clientId is a new member, never a new address.
import { formatBytes } from '../../../common/files.ts';
import { TokenBucket, type RateLimit } from '../rate-limit.ts';
import { Refusal } from './refusal.ts';

export interface UploadLimits {
  /** Uploads one member may hold at once (unfinished, or finished and not shared yet). */
  maxOpenPerMember: number;
  /** The same, for everyone at one address together. */
  maxOpenPerAddress: number;
  /** Bytes one member's open uploads may reserve at once; default: twice the per-file limit. */
  maxReservedPerMember: number | undefined;
  /** Creating uploads, per member: a burst, then so many a second. */
  creationRate: RateLimit;
  /** Creating uploads, per address. */
  addressCreationRate: RateLimit;
  /** Requests under /files one address may have in progress at once. */
  maxRequestsPerAddress: number;
  /** An unfinished upload is removed this long after it was created. */
  unfinishedMs: number;
  /** An unfinished upload that received nothing (no PATCH) this long is removed. */
  idleMs: number;
  /** A finished upload nobody shared is removed this long after it finished (a shared one's record too). */
  unsharedMs: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  maxOpenPerMember: 4,
  maxOpenPerAddress: 8,
  maxReservedPerMember: undefined,
  creationRate: { burst: 20, perSecond: 2 },
  addressCreationRate: { burst: 40, perSecond: 4 },
  maxRequestsPerAddress: 16,
  unfinishedMs: 24 * 60 * 60 * 1000,
  idleMs: 60 * 60 * 1000,
  unsharedMs: 60 * 60 * 1000,
};

export interface OpenUpload {
  owner: string;
  /** The address it was created from; undefined for one found on disk at start. */
  address: string | undefined;
  size: number;
  createdAt: number;
  /** The last time a PATCH began or ended. */
  activeAt: number;
  /** PATCHes in progress: an upload being written to is never idle. */
  writing: number;
}

export class UploadBudget {
  readonly #limits: UploadLimits;
  readonly #maxReservedPerMember: number;
  readonly #open: ReadonlyMap<string, OpenUpload>;
  readonly #memberBuckets = new Map<string, TokenBucket>();
  readonly #addressBuckets = new Map<string, TokenBucket>();

  constructor(limits: UploadLimits, maxFileBytes: number, open: ReadonlyMap<string, OpenUpload>) {
    this.#limits = limits;
    this.#maxReservedPerMember = limits.maxReservedPerMember ?? 2 * maxFileBytes;
    this.#open = open;
  }

  /** Why this member, from this address, may not create an upload of `size` bytes now; undefined if they may (and it is counted). */
  refusalFor(owner: string, address: string, size: number): Refusal | undefined {
    const limits = this.#limits;
    let mine = 0;
    let ours = 0;
    let reserved = 0;
    for (const upload of this.#open.values()) {
      if (upload.owner === owner) {
        mine++;
        reserved += upload.size;
      }
      if (upload.address === address) ours++;
    }
    if (mine >= limits.maxOpenPerMember) return later(5, `You have ${mine} uploads not shared yet; share, cancel or finish one first.`);
    if (ours >= limits.maxOpenPerAddress) return later(5, `Your computer has ${ours} uploads not shared yet; share, cancel or finish one first.`);
    if (reserved + size > this.#maxReservedPerMember) {
      return later(60, `Your uploads in progress hold ${formatBytes(reserved)}; you may hold up to ${formatBytes(this.#maxReservedPerMember)} at once. Finish or cancel one first.`);
    }
    const member = bucket(this.#memberBuckets, owner, limits.creationRate);
    const computer = bucket(this.#addressBuckets, address, limits.addressCreationRate);
    const wait = Math.max(member.waitFor(1), computer.waitFor(1));
    if (wait > 0) return later(Math.ceil(wait / 1000), 'Too many uploads at once: wait a moment and try again.');
    member.spend(1);
    computer.spend(1);
    return undefined;
  }

  /** Forget buckets that have refilled. */
  tidy(): void {
    for (const buckets of [this.#memberBuckets, this.#addressBuckets]) for (const [key, b] of buckets) if (b.full) buckets.delete(key);
  }
}

function bucket(buckets: Map<string, TokenBucket>, key: string, rate: RateLimit): TokenBucket {
  let found = buckets.get(key);
  if (!found) buckets.set(key, (found = new TokenBucket(rate)));
  return found;
}

function later(seconds: number, sentence: string): Refusal {
  return new Refusal(429, sentence, { 'retry-after': String(seconds) });
}
