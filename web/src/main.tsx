import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { api } from './api/client';
import { AuthProvider } from './auth/AuthContext';
import { ToastProvider } from './components/Toasts';
import './styles/app.css';
import './styles/print.css';

// Logged in from an earlier visit: get a fresh access token now (it also schedules the next).
if (api.tokens.isLoggedIn()) void api.tokens.getAccessToken();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ToastProvider>
      <AuthProvider>
        <App />
      </AuthProvider>
    </ToastProvider>
  </StrictMode>,
);

if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((err: unknown) => {
      console.warn('service worker not registered', err);
    });
  });
}
