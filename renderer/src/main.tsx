import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { pickBridge } from './bridge/index.ts';
import { applyRememberedTheme } from './settings/theme.ts';
import './styles.css';

applyRememberedTheme();
const bridge = pickBridge();
document.documentElement.dataset['shell'] = bridge.kind;
createRoot(document.getElementById('app')!).render(
  <StrictMode>
    <App bridge={bridge} />
  </StrictMode>,
);
