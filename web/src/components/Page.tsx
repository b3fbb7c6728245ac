import { useEffect, useMemo, type ReactNode } from 'react';
import { renderMarkdown } from '../lib/markdown';
import { Link } from '../router';
import { LockIcon, OfflineIcon } from './Icons';

/** Sets the document title and renders the page's heading (focused after navigation). */
export function Page({
  title,
  heading,
  actions,
  intro,
  children,
  wide = false,
}: {
  title: string;
  heading?: ReactNode;
  actions?: ReactNode;
  intro?: ReactNode;
  children: ReactNode;
  wide?: boolean;
}) {
  useEffect(() => {
    document.title = `${title} · ResuMate`;
  }, [title]);
  return (
    <div className={wide ? 'page page-wide' : 'page'}>
      <div className="page-head">
        <div>
          <h1 id="page-heading" tabIndex={-1}>
            {heading ?? title}
          </h1>
          {intro && <div className="page-intro">{intro}</div>}
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </div>
      {children}
    </div>
  );
}

export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function EmptyState({ icon, title, children }: { icon?: ReactNode; title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      {icon && <div className="empty-icon">{icon}</div>}
      <h2>{title}</h2>
      {children}
    </div>
  );
}

export function OfflineNotice({ show }: { show: boolean }) {
  if (!show) return null;
  return (
    <p className="notice notice-warn" role="status">
      <OfflineIcon /> You are offline. This is the copy last seen on this device; changes cannot be saved
      until you are back online.
    </p>
  );
}

export function LoginRequired({ what, next }: { what: string; next: string }) {
  const q = `?next=${encodeURIComponent(next)}`;
  return (
    <EmptyState icon={<LockIcon />} title={`Log in to see ${what}`}>
      <p>Your resumes and applications are private to your account.</p>
      <p className="row-center">
        <Link className="btn btn-primary" to={`/login${q}`}>
          Log in to continue
        </Link>
        <Link className="btn" to={`/register${q}`}>
          Create an account
        </Link>
      </p>
    </EmptyState>
  );
}

/** The sanitized rendering of a resume's Markdown. */
export function MarkdownPreview({ source, id, label }: { source: string; id?: string; label?: string }) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  return (
    <article
      id={id}
      className="resume-doc"
      aria-label={label}
      // markdown-it runs with html: false, so no markup from the resume itself reaches the page.
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
