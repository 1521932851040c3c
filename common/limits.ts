// The numbers host and clients agree on besides the frames' shapes (common/protocol.ts,
// which re-exports them): the hard bounds on what a frame may carry, and the close codes
// that tell a client "don't come back" from "try again".

/** Hard bounds shared by host and clients. */
export const LIMITS = {
  /** ws maxPayload on the host: anything larger is closed with 1009. */
  maxFrameBytes: 64 * 1024,
  /** Message text, in characters (Unicode code points). */
  maxTextChars: 4000,
  /** Display names, in characters, after trimming. */
  maxNameChars: 32,
  /** Messages a client gets on join. */
  historyOnJoin: 200,
  /** A resume that missed more than this gets the latest page instead ("too old"). */
  maxResumeMessages: 10_000,
  /** Messages per `history` frame, so a long resume never makes one huge frame. */
  historyChunk: 500,
  /** Upper bound a client may ask for in one `fetch_history`. */
  maxFetchHistory: 1000,
  /**
   * Bytes of message text per `history` frame: a page or chunk ends at this many bytes or
   * at its count, whichever comes first (1,000 messages of 4,000 emoji would be 16 MB).
   */
  historyPageBytes: 256 * 1024,
  /** Room topic, in characters. */
  maxTopicChars: 200,
} as const;

/** Close codes the host uses, so clients can tell "don't come back" from "try again". */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  policy: 1008,
  tooBig: 1009,
  /** The host failed on a join (not the joiner's fault): the client connects again later. */
  internalError: 1011,
  kicked: 4001,
  banned: 4002,
  protocol: 4003,
  replaced: 4004,
  joinRefused: 4005,
  slowConsumer: 4006,
} as const;
