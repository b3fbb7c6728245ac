import { useCallback, useDeferredValue, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import { describeError, errorText, type ErrorMessages } from '../api/errors';
import type { Resume, ResumeRequest } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { ErrorSummary } from '../components/Form';
import { ArrowLeftIcon, DownloadIcon, PrintIcon } from '../components/Icons';
import { LoginRequired, MarkdownPreview, OfflineNotice, Page, Spinner } from '../components/Page';
import { useToasts } from '../components/Toasts';
import { downloadText, fileName } from '../lib/format';
import { useResource } from '../lib/useResource';
import { Link, addNavigationGuard } from '../router';

const NO_ERRORS: ErrorMessages = { summary: [], fields: {} };

function Editor({ resume, offline, onSaved }: { resume: Resume; offline: boolean; onSaved: (r: Resume) => void }) {
  const toasts = useToasts();
  const [title, setTitle] = useState(resume.title);
  const [content, setContent] = useState(resume.content);
  const [saved, setSaved] = useState({ title: resume.title, content: resume.content });
  const [saving, setSaving] = useState(false);
  const [errors, setErrors] = useState<ErrorMessages>(NO_ERRORS);
  const [status, setStatus] = useState('');
  const preview = useDeferredValue(content);
  const dirty = title !== saved.title || content !== saved.content;
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;

  useEffect(() => {
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (dirtyRef.current) e.preventDefault();
    };
    window.addEventListener('beforeunload', beforeUnload);
    const off = addNavigationGuard(
      () => !dirtyRef.current || window.confirm('You have unsaved changes. Leave without saving?'),
    );
    return () => {
      window.removeEventListener('beforeunload', beforeUnload);
      off();
    };
  }, []);

  const save = useCallback(async () => {
    if (saving) return;
    setSaving(true);
    setErrors(NO_ERRORS);
    setStatus('Saving…');
    try {
      const updated = await api.json<Resume>('PUT', `/api/resumes/${resume.id}/`, {
        body: { title, content } satisfies ResumeRequest,
      });
      setSaved({ title: updated.title, content: updated.content });
      setTitle(updated.title);
      setContent((c) => (c === content ? updated.content : c));
      onSaved(updated);
      setStatus('All changes saved.');
    } catch (err) {
      setErrors(describeError(err, { fields: ['title', 'content'] }));
      setStatus('Not saved.');
    } finally {
      setSaving(false);
    }
  }, [saving, resume.id, title, content, onSaved]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void save();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save]);

  return (
    <>
      <OfflineNotice show={offline} />
      <ErrorSummary messages={errors.summary} />
      <div className="editor-toolbar no-print">
        <div className="field editor-title">
          <label htmlFor="resume-title">Title</label>
          <input
            id="resume-title"
            value={title}
            maxLength={255}
            onChange={(e) => setTitle(e.target.value)}
            aria-invalid={errors.fields.title ? true : undefined}
            aria-describedby={errors.fields.title ? 'resume-title-error' : undefined}
          />
          {errors.fields.title && (
            <p id="resume-title-error" className="field-error">
              {errors.fields.title}
            </p>
          )}
        </div>
        <div className="row editor-buttons">
          <button className="btn btn-primary" type="button" onClick={save} disabled={saving || offline}>
            {saving ? 'Saving…' : 'Save'}
          </button>
          <button
            className="btn"
            type="button"
            onClick={() => {
              downloadText(content, fileName(title, 'md'));
              toasts.announce('Markdown file downloaded.');
            }}
          >
            <DownloadIcon /> Download Markdown
          </button>
          <button className="btn" type="button" onClick={() => window.print()}>
            <PrintIcon /> Print to PDF
          </button>
          <span className="save-status" role="status" aria-live="polite">
            {dirty && !saving ? 'Unsaved changes' : status}
          </span>
        </div>
      </div>
      <div className="editor">
        <div className="field editor-pane no-print">
          <label htmlFor="resume-content">Markdown</label>
          <textarea
            id="resume-content"
            className="editor-input"
            value={content}
            spellCheck
            onChange={(e) => setContent(e.target.value)}
            aria-invalid={errors.fields.content ? true : undefined}
            aria-describedby={['resume-content-hint', errors.fields.content ? 'resume-content-error' : '']
              .filter(Boolean)
              .join(' ')}
          />
          <p id="resume-content-hint" className="hint">
            # for your name, ## for sections, - for bullet points, **bold**. Ctrl+S saves.
          </p>
          {errors.fields.content && (
            <p id="resume-content-error" className="field-error">
              {errors.fields.content}
            </p>
          )}
        </div>
        <section className="preview-pane" aria-labelledby="preview-heading">
          <h2 id="preview-heading" className="pane-heading no-print">
            Preview
          </h2>
          <div className="paper print-target">
            <MarkdownPreview source={preview} label="Resume preview" />
          </div>
        </section>
      </div>
    </>
  );
}

export function ResumeEditorPage({ id }: { id: number }) {
  const { username } = useAuth();
  const resource = useResource<Resume>(username ? `resume:${id}:${username}` : null, () =>
    api.get<Resume>(`/api/resumes/${id}/`),
  );
  const title = resource.data?.title ?? 'Resume';
  const back = (
    <Link className="btn btn-ghost no-print" to="/resumes">
      <ArrowLeftIcon /> Back to list
    </Link>
  );

  if (!username) {
    return (
      <Page title="Resume">
        <LoginRequired what="this resume" next={`/resumes/${id}`} />
      </Page>
    );
  }
  return (
    <Page title={title} actions={back} wide>
      {resource.loading && !resource.data ? (
        <Spinner label="Opening your resume…" />
      ) : resource.error ? (
        <div className="notice notice-error" role="alert">
          <p>{errorText(resource.error)}</p>
        </div>
      ) : resource.data ? (
        <Editor resume={resource.data} offline={resource.offline} onSaved={(r) => resource.setData(r)} />
      ) : null}
    </Page>
  );
}
