// The browser's notifications: whether they can be shown, asking for them (only ever from
// the person turning them on in Settings, a user gesture), and showing one.
import type { ChatMessage } from '../../../common/protocol.ts';

/** 'insecure': the browser allows notifications only on https pages (a LAN http address is not one). */
export type NotificationAccess = NotificationPermission | 'unsupported' | 'insecure';

export function notificationAccess(): NotificationAccess {
  const secure = window.isSecureContext;
  if (typeof Notification === 'undefined') return secure ? 'unsupported' : 'insecure';
  if (!secure && Notification.permission !== 'granted') return 'insecure';
  return Notification.permission;
}

/** Ask the browser, if it has not been answered yet; the answer. Call only from a person's action. */
export async function askNotificationAccess(): Promise<NotificationAccess> {
  const access = notificationAccess();
  if (access !== 'default') return access;
  try {
    return await Notification.requestPermission();
  } catch {
    return notificationAccess();
  }
}

/** Why notifications cannot be shown, and what to do about it; undefined when they can. */
export function accessProblem(access: NotificationAccess): string | undefined {
  switch (access) {
    case 'denied':
      return 'Notifications are blocked for Hearth. To allow them, open this site’s settings (the icon beside the address) or your system’s notification settings, allow Hearth, then turn this on again.';
    case 'insecure':
      return 'This browser shows notifications only on secure (https) pages, and Hearth reaches you over your local network. The Hearth app can notify you.';
    case 'unsupported':
      return 'This browser cannot show notifications.';
    default:
      return undefined;
  }
}

export function showNotification(message: ChatMessage): void {
  if (notificationAccess() !== 'granted') return;
  try {
    const notification = new Notification(message.to ? `${message.from.name} (private)` : message.from.name, { body: notificationBody(message), silent: true });
    notification.onclick = () => window.focus();
  } catch {
    // Some shells refuse notifications; the unread count in the title still shows it.
  }
}

/** What a notification says: the text, or for a file without a caption its name ("📎 report.pdf"). */
export function notificationBody(message: Pick<ChatMessage, 'text' | 'file'>): string {
  return (message.text || (message.file ? `📎 ${message.file.name}` : '')).slice(0, 200);
}
