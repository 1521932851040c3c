import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../styles.css';
import './dashboard.css';
import { Dashboard } from './Dashboard.tsx';
// window.hearth's type comes from ../bridge/index.ts (a global declaration).
import type {} from '../bridge/index.ts';

createRoot(document.getElementById('app')!).render(
  <StrictMode>
    <Dashboard hearth={window.hearth} />
  </StrictMode>,
);
