import '@fontsource-variable/inter';
import '@fontsource-variable/jetbrains-mono';
import './app/theme.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { startEngine } from './state/engine';

const root = document.getElementById('root');
if (!root) throw new Error('index.html is missing #root');
startEngine();
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
