// The page's own fetch, as common/probe.ts and common/reach.ts take it.
import type { FetchLike } from '../../../common/probe.ts';

export const browserFetch: FetchLike = (url, init) => fetch(url, init as RequestInit);
