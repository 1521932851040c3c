// Mute this room: its messages then neither notify nor chime (Settings keeps the list).
import { BellIcon } from './icons.tsx';

export function MuteButton({ muted, onToggle }: { muted: boolean; onToggle(): void }) {
  // A toggle keeps one name; aria-pressed says whether it is on (screen readers: "Mute room, pressed").
  return (
    <button type="button" className={`ghost icon-button mute-button${muted ? ' muted' : ''}`} aria-label="Mute room" title={muted ? 'Muted: no notifications or sound from this room' : 'Mute room'} aria-pressed={muted} onClick={onToggle}>
      <BellIcon crossed={muted} />
    </button>
  );
}
