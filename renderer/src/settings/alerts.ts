// Should a message that just arrived make a notification, a chime, both or neither? Only
// what is addressed to me (a private message, or one that mentions me) and only while I am
// looking elsewhere; never in a room I muted; each as the person set it.
import type { Preferences } from '../../../common/settings.ts';
import type { ChatMessage, Member } from '../../../common/protocol.ts';
import { mentions } from '../chat/mentions.ts';

export interface AlertInput {
  message: ChatMessage;
  me: Member | undefined;
  /** Is this window the one the person is looking at? */
  focused: boolean;
  muted: boolean;
  settings: Pick<Preferences, 'notifications' | 'sound'>;
}

export interface Alert {
  notify: boolean;
  sound: boolean;
}

export function decideAlert({ message, me, focused, muted, settings }: AlertInput): Alert {
  const forMe = me !== undefined && message.from.id !== me.id && (message.to !== undefined || mentions(message.text, me.name));
  const alert = forMe && !focused && !muted;
  return { notify: alert && settings.notifications, sound: alert && settings.sound };
}
