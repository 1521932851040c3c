import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../styles.css';
import './dashboard.css';
import { Dashboard } from './Dashboard.tsx';
import { applyRememberedTheme, applyTheme, followThemeOfOtherWindows } from '../settings/theme.ts';
import { pickBridge } from '../bridge/index.ts';

// The app window's theme: remembered by this origin for the first paint, then as the settings
// say, then as the app window changes it.
const bridge = pickBridge();
applyRememberedTheme();
void bridge.getSettings().then((result) => result.ok && applyTheme(result.value.theme));
followThemeOfOtherWindows();

createRoot(document.getElementById('app')!).render(
  <StrictMode>
    <Dashboard bridge={bridge} />
  </StrictMode>,
);
