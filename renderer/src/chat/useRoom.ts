// One room, as React state: a RoomClient (the browser's WebSocket) driving the timeline,
// the member list, who is typing and the connection state, plus the actions the composer
// needs. Commands typed in the composer are carried out by common/command-runner.ts, as in
// the terminal; what they look like here (system lines, pending messages) is this hook's.
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { RoomAddress } from '../../../common/address.ts';
import { RoomClient, type ConnectionState, type SocketLike } from '../../../common/client.ts';
import { runCommand, type CommandShell } from '../../../common/command-runner.ts';
import { parseCommand } from '../../../common/commands.ts';
import { LIMITS, type ChatMessage, type Member } from '../../../common/protocol.ts';
import {
  asSentence,
  capitalize,
  CLEARED_WORDS,
  HISTORY_RESTARTED,
  hereWords,
  isRemoval,
  joinedWords,
  leftWords,
  ordinaryLeaveWords,
  RECONNECTED_WORDS,
  removedWords,
  renamedWords,
  SLOW_DOWN,
  topicWords,
} from '../../../common/wording.ts';
import { roomHttpBase } from '../files/file-urls.ts';
import { isEncryptedUrl, roomSocketUrl } from '../room/encryption.ts';
import { checkedSockets, reconnectVerdict, recheckRequest, type IdentityCheckFn } from './identity-guard.ts';
import { clockTime } from './format.ts';
import { connectionLost, joinIsNews, noRejoins, personLeft, reconnected } from './rejoin.ts';
import { emptyTimeline, oldestSeq, timelineReducer, type PresenceChange, type SystemTone } from './timeline.ts';

export interface JoinTarget {
  address: RoomAddress;
  /** From the probe or the room list, shown until the host says its name. */
  roomName: string;
  password?: string | undefined;
  /** Present when this app hosts the room: moderation commands work. */
  adminToken?: string | undefined;
  /** Join over wss (`address` in its secure form): the shell pinned the host's certificate. Plain ws otherwise. */
  secure?: boolean | undefined;
  /** The pinned certificate's fingerprint (lowercase hex) when secure. */
  fingerprint?: string | undefined;
}

export interface TypingPerson {
  id: string;
  name: string;
}

/** What became of a `share` in the outbox: stored by the host (acked), or refused with a reason. */
export type ShareOutcome = { id: string; ok: true } | { id: string; ok: false; reason: string };

/** How this member shares files here (welcome.files); undefined: the room takes no files. */
export interface RoomFiles {
  /** http(s)://host:port, as the room's socket (README › Files). */
  base: string;
  /** Sent with uploads (the Hearth-Token header) only: never put in a URL. */
  uploadToken: string;
  /** Put in file URLs (`?t=`), which get copied: it reads files and cannot upload. */
  downloadToken: string;
  maxFileBytes: number;
}

export interface RoomHandle {
  state: ConnectionState;
  /** The socket's URL is wss:// (TLS). False for ws://: anyone on the network could read the room. */
  encrypted: boolean;
  roomName: string;
  topic: string;
  me: Member | undefined;
  /** Who is here: the last list known while reconnecting (see `lostAt`), none once out of the room. */
  members: Member[];
  /** When a live connection went; undefined while connected (or before the first join). */
  lostAt: number | undefined;
  typing: TypingPerson[];
  timeline: ReturnType<typeof emptyTimeline>;
  /** A line from the composer: a message or a /command. False when it was refused there and then (the draft stays). */
  submit(line: string): boolean;
  setTyping(active: boolean): void;
  loadOlder(): void;
  retry(update?: { name?: string; password?: string }): void;
  /**
   * The fingerprint (lowercase hex) the host at this address presented instead of the one the
   * room was joined with: the room stopped rather than reconnect to it (chat/identity-guard.ts).
   */
  identityChanged: string | undefined;
  /** As of the last welcome; kept while reconnecting, so uploads wait rather than vanish. */
  files: RoomFiles | undefined;
  /** The newest upload token, for uploads that read it on every request (a restarted host gives a new one). */
  fileToken(): string | undefined;
  /** Shares an uploaded file (queued in the outbox like a message); `to`: privately, to that member. */
  share(uploadId: string, caption: string, to?: string): { ok: true; id: string } | { ok: false; error: string };
  /** Hears what became of each share; returns how to stop hearing. */
  onShareOutcome(listener: (outcome: ShareOutcome) => void): () => void;
}

const TYPING_EXPIRES_MS = 6000;

export function useRoom(
  target: JoinTarget,
  identity: { name: string; clientId: string },
  callbacks: { onMessage?: (message: ChatMessage, me: Member | undefined) => void; onLeave: () => void },
  /** The shell's certificate check, where it pins hosts: a secure room asks it before every reconnect. */
  checkIdentity?: IdentityCheckFn,
): RoomHandle {
  const [timeline, dispatch] = useReducer(timelineReducer, undefined, emptyTimeline);
  const [state, setState] = useState<ConnectionState>({ status: 'idle' });
  const [members, setMembers] = useState<Member[]>([]);
  const [lostAt, setLostAt] = useState<number>();
  const [me, setMe] = useState<Member>();
  const [roomName, setRoomName] = useState(target.roomName);
  const [topic, setTopic] = useState('');
  const [typingMap, setTypingMap] = useState<Map<string, TypingPerson & { until: number }>>(new Map());
  const [identityChanged, setIdentityChanged] = useState<string>();
  const [files, setFiles] = useState<RoomFiles>();
  const filesRef = useRef<RoomFiles | undefined>(undefined);
  const shareListeners = useRef(new Set<(outcome: ShareOutcome) => void>());
  const checkRef = useRef(checkIdentity);
  checkRef.current = checkIdentity;
  const clientRef = useRef<RoomClient | undefined>(undefined);
  const callbacksRef = useRef(callbacks);
  callbacksRef.current = callbacks;

  // The URL the join asked for, and so the one the notice speaks about: wss when secure.
  const url = roomSocketUrl(target.address, target.secure === true);

  useEffect(() => {
    setIdentityChanged(undefined);
    const openSocket = (socketUrl: string) => new WebSocket(socketUrl) as unknown as SocketLike;
    const pinned = target.secure ? target.fingerprint : undefined;
    const check = checkRef.current;
    // This app's own room needs no check: only this machine holds its key.
    const guarded = pinned !== undefined && check !== undefined && target.adminToken === undefined;
    const client: RoomClient = new RoomClient({
      url,
      name: identity.name,
      clientId: identity.clientId,
      password: target.password,
      // The proof signs the pinned certificate too: a man in the middle cannot relay it.
      channelFingerprint: pinned,
      createSocket: guarded
        ? checkedSockets(
            openSocket,
            async () => reconnectVerdict(pinned, await check(recheckRequest(target.address.host, target.address.port, pinned))),
            (verdict) => {
              // Stop here: the host at this address is not the one joined, and nothing goes to it.
              client.close();
              setMembers([]);
              setIdentityChanged(verdict.presented);
            },
          )
        : openSocket,
    });
    clientRef.current = client;
    const now = () => Date.now();
    const system = (text: string, tone: SystemTone = 'info', presence?: PresenceChange) => dispatch({ type: 'system', text, ts: now(), tone, ...(presence && { presence }) });
    let joinedBefore = false;
    let live = false;
    let rejoins = noRejoins;
    // "Reconnected." waits for the resume, so what was missed sits between the two lines.
    let announceReconnect = false;
    const announceReconnected = () => {
      if (!announceReconnect) return;
      announceReconnect = false;
      system(asSentence(RECONNECTED_WORDS), 'connection');
    };
    const offs = [
      client.on('state', (next) => {
        setState(next);
        if (next.status === 'connected') {
          live = true;
          setLostAt(undefined);
        } else if (live) {
          live = false;
          if (next.status === 'reconnecting') {
            const at = now();
            setLostAt(at);
            rejoins = connectionLost(rejoins, client.members, at);
            system(`Connection lost at ${clockTime(at)}`, 'connection');
          }
        }
        // Out of the room (removed, refused, replaced): nobody is "here" any more.
        if (next.status === 'closed') setMembers([]);
      }),
      client.on('welcome', (w) => {
        const roomFiles = w.files && { base: roomHttpBase(url), uploadToken: w.files.token, downloadToken: w.files.downloadToken, maxFileBytes: w.files.maxFileBytes };
        filesRef.current = roomFiles;
        setFiles(roomFiles);
        setMe(w.you);
        setRoomName(w.room);
        setTopic(w.topic);
        if (joinedBefore) {
          announceReconnect = true;
          rejoins = reconnected(rejoins, now());
        }
        joinedBefore = true;
      }),
      client.on('history', (frame) => {
        dispatch({ type: 'history', frame });
        if (frame.complete && frame.mode !== 'older') announceReconnected();
      }),
      // The host's history started again (restored from nothing, or another history): forget
      // its old seqs at once, so no new message is taken for one already shown.
      client.on('reset', () => {
        dispatch({ type: 'reset' });
        system(HISTORY_RESTARTED, 'error');
      }),
      client.on('message', (message) => {
        dispatch({ type: 'message', message });
        setTypingMap((map) => {
          if (!map.has(message.from.id)) return map;
          const next = new Map(map);
          next.delete(message.from.id);
          return next;
        });
        callbacksRef.current.onMessage?.(message, client.me);
      }),
      client.on('failed', ({ id, reason }) => {
        dispatch({ type: 'failed', id, reason });
        for (const listener of shareListeners.current) listener({ id, ok: false, reason });
      }),
      client.on('ack', ({ id }) => {
        for (const listener of shareListeners.current) listener({ id, ok: true });
      }),
      client.on('file_deleted', (file) => dispatch({ type: 'file_deleted', file })),
      client.on('members', (list) => {
        setMembers(list);
        if (client.me) setMe(client.me);
      }),
      client.on('member_joined', (m) => {
        const { news, memory } = joinIsNews(rejoins, m.id, now());
        rejoins = memory;
        if (news) system(joinedWords(m.name), 'join', { name: m.name, change: 'joined' });
      }),
      client.on('member_left', ({ member, reason }) => {
        rejoins = personLeft(rejoins, member.id);
        // Removals by the host are news of their own: they never fold into a run.
        if (isRemoval(reason)) return system(`${member.name} ${leftWords(reason)}`, 'leave');
        const change = ordinaryLeaveWords(reason);
        system(`${member.name} ${change}`, 'leave', { name: member.name, change });
      }),
      client.on('renamed', (r) => system(capitalize(renamedWords(r, r.id === client.me?.id)))),
      client.on('typing', ({ user, active }) =>
        setTypingMap((map) => {
          const next = new Map(map);
          if (active) next.set(user.id, { ...user, until: Date.now() + TYPING_EXPIRES_MS });
          else next.delete(user.id);
          return next;
        }),
      ),
      client.on('error', (e) => {
        if (e.code === 'rate_limited') return system(SLOW_DOWN);
        if (e.code === 'store_unavailable' && (e.ref.type === 'join' || e.ref.type === 'fetch_history')) {
          // The host is up but cannot read its history: say so, and stop waiting for a page.
          if (e.ref.type === 'fetch_history') dispatch({ type: 'older_failed' });
          system(asSentence(e.message), 'error');
          // No resume is coming: the room is live without it.
          if (e.ref.type === 'join') announceReconnected();
          return;
        }
        if (e.code === 'store_unavailable') return system(`${e.message}. Retrying…`, 'error');
        // The host failed on a request for older messages: stop waiting for that page.
        if (e.ref.type === 'fetch_history') dispatch({ type: 'older_failed' });
        if (e.ref.id && client.pending.every((p) => p.id !== e.ref.id)) return; // shown on the message itself
        system(capitalize(e.message), 'error');
      }),
      client.on('kicked', (k) => system(`You were ${removedWords(k)}`, 'error')),
      client.on('cleared', () => {
        dispatch({ type: 'clear' });
        system(asSentence(CLEARED_WORDS));
      }),
      client.on('admin_done', (a) => system(capitalize(a.detail))),
      client.on('topic', (t) => {
        setTopic(t);
        system(topicWords(t));
      }),
    ];
    client.connect();
    return () => {
      for (const off of offs) off();
      client.close();
      clientRef.current = undefined;
    };
    // A new target is a new connection; identity changes go through retry().
  }, [target]);

  // Typing indicators expire on their own if the "stopped" never comes.
  useEffect(() => {
    if (typingMap.size === 0) return;
    const timer = setInterval(() => {
      setTypingMap((map) => {
        const now = Date.now();
        const next = new Map([...map].filter(([, t]) => t.until > now));
        return next.size === map.size ? map : next;
      });
    }, 1000);
    return () => clearInterval(timer);
  }, [typingMap.size]);

  const submit = useCallback(
    (line: string): boolean => {
      const client = clientRef.current;
      if (!client) return false;
      const system = (text: string, tone: 'info' | 'error' = 'info') => dispatch({ type: 'system', text, ts: Date.now(), tone });
      const shell: CommandShell = {
        adminToken: target.adminToken,
        sent: (id, message) => dispatch({ type: 'pending', id, ...message, ts: Date.now() }),
        // A refused line stays in the composer to be fixed.
        refused: (words) => system(capitalize(words), 'error'),
        help: (commands) => system(commands.map((c) => `${c.usage} — ${c.description}`).join('\n')),
        users: (list) => system(hereWords(list.map((m) => m.name))),
        clearScreen: () => dispatch({ type: 'clear' }),
        quit: () => callbacksRef.current.onLeave(),
      };
      return runCommand(parseCommand(line, client.members.map((m) => m.name)), client, shell);
    },
    [target],
  );

  const lastTypingSent = useRef(0);
  const setTyping = useCallback((active: boolean) => {
    const client = clientRef.current;
    if (!client) return;
    const now = Date.now();
    if (active && now - lastTypingSent.current < 2500) return;
    lastTypingSent.current = active ? now : 0;
    client.typing(active);
  }, []);

  const loadOlder = useCallback(() => {
    const client = clientRef.current;
    const oldest = oldestSeq(timeline);
    if (!client || timeline.exhausted || timeline.loadingOlder || oldest === undefined) return;
    dispatch({ type: 'loading_older' });
    client.fetchOlder(oldest, LIMITS.historyChunk);
  }, [timeline]);

  const retry = useCallback((update?: { name?: string; password?: string }) => {
    clientRef.current?.connect(update);
  }, []);

  const fileToken = useCallback(() => filesRef.current?.uploadToken, []);
  const share = useCallback((uploadId: string, caption: string, to?: string) => {
    const client = clientRef.current;
    return client ? client.share(uploadId, { caption, ...(to !== undefined && { to }) }) : ({ ok: false, error: 'You are not in this room.' } as const);
  }, []);
  const onShareOutcome = useCallback((listener: (outcome: ShareOutcome) => void) => {
    shareListeners.current.add(listener);
    return () => void shareListeners.current.delete(listener);
  }, []);

  const typing = useMemo(() => [...typingMap.values()].filter((t) => t.id !== me?.id).map(({ id, name }) => ({ id, name })), [typingMap, me]);

  const encrypted = isEncryptedUrl(url);

  return {
    state,
    encrypted,
    roomName,
    topic,
    me,
    members,
    lostAt,
    typing,
    timeline,
    submit,
    setTyping,
    loadOlder,
    retry,
    identityChanged,
    files,
    fileToken,
    share,
    onShareOutcome,
  };
}
