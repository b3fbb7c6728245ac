import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { describeError, errorText } from '../api/errors';
import type { Resume, ResumePatchRequest, ResumeRequest } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { ErrorSummary } from '../components/Form';
import { DocIcon, EditIcon, PlusIcon, SparkIcon, TrashIcon } from '../components/Icons';
import { EmptyState, LoginRequired, OfflineNotice, Page, Spinner } from '../components/Page';
import { useToasts } from '../components/Toasts';
import { useUndoable } from '../components/useUndoable';
import { formatRelative } from '../lib/format';
import { pending } from '../lib/pending';
import { useResource } from '../lib/useResource';
import { Link, navigate } from '../router';

export const STARTER_RESUME = `# Your Name

City, Country · you@example.com · +1 555 0100 · linkedin.com/in/you

## Summary

Two or three sentences on who you are, what you do best, and what you are looking for.

## Experience

### Job Title — Company (2022 – present)

- An achievement, with a number that shows its effect
- Another achievement

## Education

**Degree**, School (Year)

## Skills

Skill one · Skill two · Skill three
`;

function snippet(content: string): string {
  return content
    .replace(/^#+\s*/gm, '')
    .replace(/[*_`>#-]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 140);
}

function RenameForm({ resume, onDone }: { resume: Resume; onDone: (r?: Resume) => void }) {
  const [title, setTitle] = useState(resume.title);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      const updated = await api.json<Resume>('PATCH', `/api/resumes/${resume.id}/`, {
        body: { title } satisfies ResumePatchRequest,
      });
      onDone(updated);
    } catch (err) {
      const { summary, fields } = describeError(err, { fields: ['title'] });
      setError(fields.title ?? summary.join(' '));
      setBusy(false);
    }
  }
  const id = `rename-${resume.id}`;
  return (
    <form className="rename-form" onSubmit={submit}>
      <label htmlFor={id}>Title</label>
      <div className="row">
        <input
          id={id}
          value={title}
          maxLength={255}
          autoFocus
          onChange={(e) => setTitle(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') onDone();
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <button className="btn btn-primary btn-small" type="submit" disabled={busy}>
          Save
        </button>
        <button className="btn btn-small" type="button" onClick={() => onDone()}>
          Cancel
        </button>
      </div>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </form>
  );
}

export function ResumesPage() {
  const { username } = useAuth();
  const toasts = useToasts();
  const undoable = useUndoable();
  const resumes = useResource<Resume[]>(username ? `resumes:${username}` : null, () =>
    api.get<Resume[]>('/api/resumes/'),
  );
  const [hidden, setHidden] = useState<Set<number>>(new Set());
  const [renaming, setRenaming] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<string[]>([]);

  if (!username) {
    return (
      <Page title="Resumes">
        <LoginRequired what="your resumes" next="/resumes" />
      </Page>
    );
  }

  async function create() {
    setCreating(true);
    setCreateError([]);
    try {
      const resume = await api.json<Resume>('POST', '/api/resumes/', {
        body: { title: 'Untitled resume', content: STARTER_RESUME } satisfies ResumeRequest,
      });
      navigate(`/resumes/${resume.id}`);
    } catch (err) {
      setCreateError(describeError(err).summary);
      setCreating(false);
    }
  }

  function remove(resume: Resume) {
    undoable({
      key: `resume:${resume.id}`,
      message: `Deleted “${resume.title}”.`,
      undoneMessage: `“${resume.title}” restored.`,
      failedMessage: `“${resume.title}” could not be deleted.`,
      apply: () => setHidden((h) => new Set(h).add(resume.id)),
      revert: () =>
        setHidden((h) => {
          const n = new Set(h);
          n.delete(resume.id);
          return n;
        }),
      commit: async () => {
        await api.json('DELETE', `/api/resumes/${resume.id}/`, { keepalive: true });
        resumes.setData((list) => list?.filter((r) => r.id !== resume.id));
      },
    });
  }

  const visible = (resumes.data ?? []).filter((r) => !hidden.has(r.id) && !pending.has(`resume:${r.id}`));
  const newButton = (
    <button className="btn btn-primary" type="button" onClick={create} disabled={creating || resumes.offline}>
      <PlusIcon /> {creating ? 'Creating…' : 'New resume'}
    </button>
  );

  return (
    <Page
      title="Resumes"
      heading="Your resumes"
      actions={
        <>
          <Link className="btn" to="/generate">
            <SparkIcon /> Generate with AI
          </Link>
          {newButton}
        </>
      }
    >
      <OfflineNotice show={resumes.offline} />
      <ErrorSummary messages={createError} />
      {resumes.loading && !resumes.data ? (
        <Spinner label="Loading your resumes…" />
      ) : resumes.error ? (
        <div className="notice notice-error" role="alert">
          <p>{errorText(resumes.error)}</p>
          <button className="btn btn-small" type="button" onClick={resumes.reload}>
            Try again
          </button>
        </div>
      ) : visible.length === 0 ? (
        <EmptyState icon={<DocIcon />} title="No resumes yet">
          <p>Start from a clean template, or let ResuMate draft one from a few notes about you.</p>
          <p className="row-center">
            <button className="btn btn-primary" type="button" onClick={create} disabled={creating || resumes.offline}>
              <PlusIcon /> Start from a template
            </button>
            <Link className="btn" to="/generate">
              <SparkIcon /> Generate one
            </Link>
          </p>
        </EmptyState>
      ) : (
        <ul className="resume-list" aria-label="Resumes">
          {visible.map((r) => (
            <li key={r.id} className="card resume-item">
              {renaming === r.id ? (
                <RenameForm
                  resume={r}
                  onDone={(updated) => {
                    setRenaming(null);
                    if (updated) {
                      resumes.setData((list) => list?.map((x) => (x.id === updated.id ? updated : x)));
                      toasts.announce(`Renamed to “${updated.title}”.`);
                    }
                  }}
                />
              ) : (
                <>
                  <h2 className="resume-title">
                    <Link to={`/resumes/${r.id}`}>{r.title}</Link>
                  </h2>
                  <p className="resume-meta">Updated {formatRelative(r.updated_at)}</p>
                  <p className="resume-snippet">{snippet(r.content)}</p>
                  <div className="row resume-actions">
                    <Link className="btn btn-small" to={`/resumes/${r.id}`} aria-label={`Open ${r.title}`}>
                      Open
                    </Link>
                    <button
                      className="btn btn-small"
                      type="button"
                      onClick={() => setRenaming(r.id)}
                      aria-label={`Rename ${r.title}`}
                      disabled={resumes.offline}
                    >
                      <EditIcon /> Rename
                    </button>
                    <button
                      className="btn btn-small btn-danger"
                      type="button"
                      onClick={() => remove(r)}
                      aria-label={`Delete ${r.title}`}
                      disabled={resumes.offline}
                    >
                      <TrashIcon /> Delete
                    </button>
                  </div>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
