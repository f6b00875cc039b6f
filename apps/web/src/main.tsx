import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { applyElder, applyLocale, saveElder, savedElder, savedLocale } from './lib/preferences.ts';
import './styles/main.css';

// The preferences go on <html> before the first render, so the page never flashes the other
// language or size. (No inline script in index.html: the server's CSP allows only 'self'.)
const locale = savedLocale();
const elder = savedElder();
applyLocale(locale);
applyElder(elder);
// A choice saved before the sign-in pages read the cookie gets the cookie too.
if (elder) saveElder(true);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App locale={locale} elder={elder} />
  </StrictMode>,
);
