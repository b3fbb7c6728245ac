// A small client-side router: history.pushState, a location store, links and route matching.
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

const listeners = new Set<() => void>();
type Guard = () => boolean;
const guards = new Set<Guard>();

function notify() {
  for (const l of [...listeners]) l();
}

if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function snapshot() {
  return window.location.pathname + window.location.search;
}

/** Asks before leaving a page (unsaved changes): the guard returns false to stay. */
export function addNavigationGuard(guard: Guard): () => void {
  guards.add(guard);
  return () => guards.delete(guard);
}

export function navigate(to: string, { replace = false } = {}) {
  if (to === snapshot()) return;
  for (const g of guards) if (!g()) return;
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.scrollTo?.(0, 0);
  notify();
}

export function useLocation(): { pathname: string; search: URLSearchParams } {
  const href = useSyncExternalStore(subscribe, snapshot, snapshot);
  const q = href.indexOf('?');
  return {
    pathname: q === -1 ? href : href.slice(0, q),
    search: new URLSearchParams(q === -1 ? '' : href.slice(q)),
  };
}

/** `/resumes/:id` against a path: the params, or null. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const p = pattern.replace(/\/+$/, '').split('/');
  const a = pathname.replace(/\/+$/, '').split('/');
  if (p.length !== a.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) {
      if (!a[i]) return null;
      params[p[i].slice(1)] = decodeURIComponent(a[i]);
    } else if (p[i] !== a[i]) return null;
  }
  return params;
}

interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  to: string;
  children: ReactNode;
}

export function Link({ to, onClick, target, ...rest }: LinkProps) {
  function handle(e: MouseEvent<HTMLAnchorElement>) {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || target || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
      return;
    }
    e.preventDefault();
    navigate(to);
  }
  return <a href={to} onClick={handle} target={target} {...rest} />;
}

interface NavLinkProps extends LinkProps {
  /** Also current for paths below `to` (default true). */
  matchPrefix?: boolean;
}

export function NavLink({ to, matchPrefix = true, className, ...rest }: NavLinkProps) {
  const { pathname } = useLocation();
  const current = pathname === to || (matchPrefix && to !== '/' && pathname.startsWith(to.replace(/\/$/, '') + '/'));
  return (
    <Link
      to={to}
      aria-current={current ? 'page' : undefined}
      className={[className, current ? 'is-current' : ''].filter(Boolean).join(' ')}
      {...rest}
    />
  );
}
