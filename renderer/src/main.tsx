import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { pickBridge } from './bridge/index.ts';
import './styles.css';

const bridge = pickBridge();
document.documentElement.dataset['shell'] = bridge.kind;
createRoot(document.getElementById('app')!).render(
  <StrictMode>
    <App bridge={bridge} />
  </StrictMode>,
);
