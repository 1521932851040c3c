// The theme on screen: data-theme on <html> pins styles.css's color-scheme to light or dark;
// without it the system's choice shows, live. The last choice is also kept in this origin's
// localStorage, read before the first render, so a reload (or the dashboard window, which
// shares the origin) paints in the right theme before settings arrive over IPC.
import { THEMES, type ThemeChoice } from '../../../common/settings.ts';

const THEME_KEY = 'hearth.theme';

function showTheme(choice: ThemeChoice): void {
  if (choice === 'system') delete document.documentElement.dataset['theme'];
  else document.documentElement.dataset['theme'] = choice;
}

function isTheme(value: unknown): value is ThemeChoice {
  return (THEMES as readonly unknown[]).includes(value);
}

/** Show `choice` now and remember it for the next start of any window. */
export function applyTheme(choice: ThemeChoice): void {
  showTheme(choice);
  try {
    window.localStorage.setItem(THEME_KEY, choice);
  } catch {
    // Storage disabled: the theme still applies to this page.
  }
}

/** Before the first render: the theme last chosen in this origin, if any. */
export function applyRememberedTheme(): void {
  try {
    const remembered = window.localStorage.getItem(THEME_KEY);
    if (isTheme(remembered)) showTheme(remembered);
  } catch {
    // Storage disabled: the system's theme shows until settings arrive.
  }
}

/** Follow a theme chosen in another window of this origin (the app window, seen from the dashboard). */
export function followThemeOfOtherWindows(): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === THEME_KEY && isTheme(event.newValue)) showTheme(event.newValue);
  };
  window.addEventListener('storage', onStorage);
  return () => window.removeEventListener('storage', onStorage);
}
