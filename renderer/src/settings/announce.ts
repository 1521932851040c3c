// Carries out decideAlert's answer for a message that just arrived.
import type { ChatMessage } from '../../../common/protocol.ts';
import type { Alert } from './alerts.ts';
import { playChime } from './chime.ts';
import { showNotification } from './notifications.ts';

export function announce(message: ChatMessage, alert: Alert): void {
  if (alert.notify) showNotification(message);
  if (alert.sound) playChime();
}
