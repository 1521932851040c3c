import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../styles.css';
import './dashboard.css';
import { Dashboard } from './Dashboard.tsx';
import { applyRememberedTheme, applyTheme, followThemeOfOtherWindows } from '../settings/theme.ts';
// window.hearth's type comes from ../bridge/index.ts (a global declaration).
import type {} from '../bridge/index.ts';

// The app window's theme: remembered by this origin for the first paint, then as the settings
// say, then as the app window changes it.
applyRememberedTheme();
void window.hearth?.invoke('settings:get', null).then((result) => result.ok && applyTheme(result.value.theme));
followThemeOfOtherWindows();

createRoot(document.getElementById('app')!).render(
  <StrictMode>
    <Dashboard hearth={window.hearth} />
  </StrictMode>,
);
