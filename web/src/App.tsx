import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useAuth } from './auth/AuthContext';
import { BoardIcon, DocIcon, LogoIcon, SettingsIcon, SparkIcon } from './components/Icons';
import { Link, NavLink, matchPath, navigate, useLocation } from './router';
import { HomePage } from './pages/HomePage';
import { LoginPage, RegisterPage } from './pages/AuthPages';
import { ResumesPage } from './pages/ResumesPage';
import { ResumeEditorPage } from './pages/ResumeEditorPage';
import { GeneratePage } from './pages/GeneratePage';
import { TrackerPage } from './pages/TrackerPage';
import { ApplicationFormPage } from './pages/ApplicationFormPage';
import { AdminModelsPage } from './pages/AdminModelsPage';
import { AdminModelFormPage } from './pages/AdminModelFormPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SettingsPage } from './pages/SettingsPage';
import { useToasts } from './components/Toasts';

function route(pathname: string): ReactNode {
  const table: [string, (p: Record<string, string>) => ReactNode][] = [
    ['/', () => <HomePage />],
    ['/login', () => <LoginPage />],
    ['/register', () => <RegisterPage />],
    ['/resumes', () => <ResumesPage />],
    ['/resumes/:id', (p) => <ResumeEditorPage key={p.id} id={Number(p.id)} />],
    ['/generate', () => <GeneratePage />],
    ['/tracker', () => <TrackerPage />],
    ['/tracker/new', () => <ApplicationFormPage key="new" />],
    ['/tracker/:id/edit', (p) => <ApplicationFormPage key={p.id} id={Number(p.id)} />],
    ['/admin/models', () => <AdminModelsPage />],
    ['/admin/models/new', () => <AdminModelFormPage key="new" />],
    ['/admin/models/:id', (p) => <AdminModelFormPage key={p.id} id={Number(p.id)} />],
    ['/settings', () => <SettingsPage />],
  ];
  for (const [pattern, render] of table) {
    const params = matchPath(pattern, pathname);
    if (params && Object.values(params).every((v) => !pattern.includes(':id') || /^\d+$/.test(v))) {
      return render(params);
    }
  }
  return <NotFoundPage />;
}

function useOnline(): boolean {
  const [online, setOnline] = useState(() => (typeof navigator === 'undefined' ? true : navigator.onLine));
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

function AccountArea() {
  const { username, logout } = useAuth();
  const toasts = useToasts();
  const [busy, setBusy] = useState(false);
  if (!username) {
    return (
      <div className="account">
        <Link className="btn btn-ghost btn-small" to="/login">
          Log in
        </Link>
        <Link className="btn btn-primary btn-small" to="/register">
          Register
        </Link>
      </div>
    );
  }
  return (
    <div className="account">
      <span className="account-name" title={`Logged in as ${username}`}>
        <span className="visually-hidden">Logged in as </span>
        {username}
      </span>
      <NavLink to="/settings" className="btn btn-ghost btn-small account-settings" title="Account settings">
        <SettingsIcon />
        <span className="account-settings-label">Settings</span>
      </NavLink>
      <button
        type="button"
        className="btn btn-ghost btn-small"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await logout();
            navigate('/');
            toasts.show({ tone: 'success', message: 'You are logged out.' });
          } finally {
            setBusy(false);
          }
        }}
      >
        Log out
      </button>
    </div>
  );
}

export function App() {
  const { pathname } = useLocation();
  const { isStaff } = useAuth();
  const online = useOnline();
  const first = useRef(true);

  // After a navigation, move focus to the new page's heading so screen readers announce it.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('page-heading')?.focus({ preventScroll: true });
  }, [pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="header-inner">
          <Link to="/" className="brand" aria-label="ResuMate home">
            <LogoIcon className="brand-logo" />
            <span>ResuMate</span>
          </Link>
          <nav className="main-nav" aria-label="Main">
            <ul>
              <li>
                <NavLink to="/resumes">
                  <DocIcon /> Resumes
                </NavLink>
              </li>
              <li>
                <NavLink to="/generate">
                  <SparkIcon /> Generate
                </NavLink>
              </li>
              <li>
                <NavLink to="/tracker">
                  <BoardIcon /> Tracker
                </NavLink>
              </li>
              {isStaff && (
                <li>
                  <NavLink to="/admin/models">
                    <SettingsIcon /> AI models
                  </NavLink>
                </li>
              )}
            </ul>
          </nav>
          <AccountArea />
        </div>
      </header>
      {!online && (
        <div className="offline-bar" role="status">
          You are offline. Saved copies of your resumes and applications stay readable.
        </div>
      )}
      <main id="main" className="site-main" tabIndex={-1}>
        {route(pathname)}
      </main>
      <footer className="site-footer no-print">
        <p>
          ResuMate · <a href="/api/docs/">API documentation</a>
        </p>
      </footer>
    </>
  );
}
