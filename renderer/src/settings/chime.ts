// A short, soft two-note chime made with WebAudio: no sound file to ship, nothing to load.
// Sound is a nicety: where audio is missing or refused, the chime is silently skipped.

/** Two sine notes a fifth apart (E6, B6), the second starting as the first fades. */
const NOTES = [
  { hz: 1318.5, at: 0, length: 0.16 },
  { hz: 1975.5, at: 0.07, length: 0.18 },
] as const;
/** Quiet: a chat chime, not an alarm. */
const PEAK_GAIN = 0.06;
const SILENT = 0.0001;

let context: AudioContext | undefined;

function audio(): AudioContext | undefined {
  const Audio = globalThis.AudioContext as typeof AudioContext | undefined;
  if (!Audio) return undefined;
  context ??= new Audio();
  // Browsers suspend audio started before the person interacted; this asks again.
  if (context.state === 'suspended') void context.resume().catch(() => {});
  return context;
}

export function playChime(): void {
  try {
    const ctx = audio();
    if (!ctx) return;
    const start = ctx.currentTime + 0.01;
    for (const note of NOTES) {
      const t = start + note.at;
      const oscillator = ctx.createOscillator();
      oscillator.type = 'sine';
      oscillator.frequency.value = note.hz;
      const gain = ctx.createGain();
      gain.gain.setValueAtTime(SILENT, t);
      gain.gain.exponentialRampToValueAtTime(PEAK_GAIN, t + 0.012);
      gain.gain.exponentialRampToValueAtTime(SILENT, t + note.length);
      oscillator.connect(gain).connect(ctx.destination);
      oscillator.start(t);
      oscillator.stop(t + note.length + 0.005);
    }
  } catch {
    // No audio device, or the browser refused: the notification and unread count remain.
  }
}
