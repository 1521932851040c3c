// Settings: the theme, and how Hearth tells you about private messages and mentions while
// you are in another window. Every change applies at once and is kept by the shell; the
// browser's notification permission is asked only here, when the person turns them on.
import { useId, useState } from 'react';
import type { Settings, SettingsChange } from '../../../common/ipc.ts';
import { THEMES, type ThemeChoice } from '../../../common/settings.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { playChime } from './chime.ts';
import { accessProblem, askNotificationAccess, notificationAccess } from './notifications.ts';
import './settings.css';

const THEME_LABELS: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };

export function SettingsDialog({
  settings,
  onChange,
  onClose,
}: {
  settings: Settings;
  /** Keep a change: why it could not be kept, or undefined. */
  onChange(change: SettingsChange): Promise<string | undefined>;
  onClose(): void;
}) {
  const [access, setAccess] = useState(notificationAccess);
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string>();
  const themeName = useId();
  const problemId = useId();
  // A choice shows at once; the shell keeps it a moment later (or says why not, and it reverts).
  const [pending, setPending] = useState<SettingsChange>({});
  const shown = { ...settings, ...pending };
  const change = async (next: SettingsChange) => {
    setPending((p) => ({ ...p, ...next }));
    const problem = await onChange(next);
    setPending((p) => Object.fromEntries(Object.entries(p).filter(([key]) => !(key in next))));
    setError(problem);
  };

  const setNotifications = async (on: boolean) => {
    if (!on) return change({ notifications: false });
    setAsking(true);
    const answer = await askNotificationAccess();
    setAsking(false);
    setAccess(answer);
    if (answer === 'granted') await change({ notifications: true });
  };
  const setSound = (on: boolean) => {
    void change({ sound: on });
    // What they will hear, heard at once.
    if (on) playChime();
  };
  const problem = accessProblem(access);
  const unavailable = access === 'unsupported' || access === 'insecure';

  return (
    <Dialog
      title="Settings"
      onClose={onClose}
      className="settings-dialog"
      footer={
        <button type="button" className="primary" onClick={onClose}>
          Done
        </button>
      }
    >
      <fieldset className="settings-group">
        <legend>Theme</legend>
        <div className="segmented">
          {THEMES.map((theme) => (
            <label key={theme}>
              <input type="radio" name={themeName} value={theme} checked={shown.theme === theme} onChange={() => void change({ theme })} />
              <span>{THEME_LABELS[theme]}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="settings-group">
        <legend>Alerts</legend>
        <p className="muted small">For private messages and mentions, while you are in another window.</p>
        <Switch
          label="Notifications"
          checked={shown.notifications && access === 'granted'}
          disabled={asking || unavailable}
          describedBy={problem ? problemId : undefined}
          onChange={(on) => void setNotifications(on)}
        />
        {problem && (
          <p id={problemId} className="settings-problem" role="status">
            {problem}
          </p>
        )}
        <Switch label="Sound" hint="A soft chime" checked={shown.sound} onChange={setSound} />
      </fieldset>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}

function Switch({
  label,
  hint,
  checked,
  disabled = false,
  describedBy,
  onChange,
}: {
  label: string;
  hint?: string;
  checked: boolean;
  disabled?: boolean;
  describedBy?: string | undefined;
  onChange(on: boolean): void;
}) {
  const id = useId();
  const hintId = useId();
  const described = [hint && hintId, describedBy].filter(Boolean).join(' ');
  return (
    <div className="switch-row">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span id={hintId} className="muted small">
          {hint}
        </span>
      )}
      <input
        id={id}
        type="checkbox"
        role="switch"
        className="switch"
        checked={checked}
        disabled={disabled}
        aria-describedby={described || undefined}
        onChange={(event) => onChange(event.target.checked)}
      />
    </div>
  );
}
