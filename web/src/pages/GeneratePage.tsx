import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { describeError, errorText, isAbortError, type ErrorMessages } from '../api/errors';
import { StreamError, streamGeneration, type GenerationDone } from '../api/generate';
import type { AIModelList, AIModelSummary } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { ErrorSummary, SelectField, TextArea, TextField } from '../components/Form';
import { CopyIcon, DownloadIcon, EditIcon, SparkIcon } from '../components/Icons';
import { MarkdownPreview, Page, Spinner } from '../components/Page';
import { useToasts } from '../components/Toasts';
import { copyText, downloadText, fileName } from '../lib/format';
import { firstHeading } from '../lib/markdown';
import { createRevealQueue, type RevealQueue } from '../lib/revealQueue';
import { useResource } from '../lib/useResource';
import { Link } from '../router';

export const MIN_INPUT = 50;
const NO_ERRORS: ErrorMessages = { summary: [], fields: {} };

type Phase = 'idle' | 'streaming' | 'done' | 'failed' | 'cancelled';

export function pickDefaultModel(models: AIModelSummary[], loggedIn: boolean): string {
  const usable = models.filter((m) => loggedIn || !m.login_required);
  return (usable.find((m) => m.model_name === 'Auto') ?? usable[0] ?? models[0])?.model_name ?? '';
}

export function inputCounter(text: string): { count: number; ok: boolean; label: string } {
  const count = text.trim().length;
  const ok = count >= MIN_INPUT;
  return {
    count,
    ok,
    label: ok
      ? `${count} characters: enough to start`
      : `${count} / ${MIN_INPUT} characters minimum (${MIN_INPUT - count} to go)`,
  };
}

export function GeneratePage() {
  const { username } = useAuth();
  const toasts = useToasts();
  const models = useResource<AIModelList>(`models:${username ?? ''}`, () => api.get<AIModelList>('/api/ai/models/'));
  const list = models.data?.data ?? [];
  const [model, setModel] = useState('');
  const [title, setTitle] = useState('');
  const [input, setInput] = useState('');
  const [errors, setErrors] = useState<ErrorMessages>(NO_ERRORS);
  const [phase, setPhase] = useState<Phase>('idle');
  const [output, setOutput] = useState('');
  const [result, setResult] = useState<GenerationDone | null>(null);
  const [streamProblem, setStreamProblem] = useState('');
  const controller = useRef<AbortController | null>(null);
  const reveal = useRef<RevealQueue | null>(null);
  const counter = inputCounter(input);
  const wasOk = useRef(counter.ok);

  // The first usable model (Auto when there is one) once the list arrives, or when the chosen
  // one is no longer offered.
  useEffect(() => {
    if (!list.length) return;
    const chosen = list.find((m) => m.model_name === model);
    if (!chosen || (chosen.login_required && !username)) setModel(pickDefaultModel(list, !!username));
  }, [list, model, username]);

  useEffect(() => {
    if (counter.ok !== wasOk.current) {
      wasOk.current = counter.ok;
      toasts.announce(counter.ok ? 'Minimum length reached.' : `At least ${MIN_INPUT} characters are needed.`);
    }
  }, [counter.ok, toasts]);

  // Leaving the page stops a running generation.
  useEffect(
    () => () => {
      controller.current?.abort();
      reveal.current?.stop();
    },
    [],
  );

  const selected = list.find((m) => m.model_name === model);
  const lockedModels = !username && list.some((m) => m.login_required);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (phase === 'streaming') return;
    setErrors(NO_ERRORS);
    setStreamProblem('');
    if (!counter.ok) {
      setErrors({
        summary: [],
        fields: { user_input: `Write at least ${MIN_INPUT} characters (${MIN_INPUT - counter.count} more).` },
      });
      document.getElementById('gen-input')?.focus();
      return;
    }
    const abort = new AbortController();
    controller.current = abort;
    setOutput('');
    setResult(null);
    setPhase('streaming');
    reveal.current?.stop();
    const queue = createRevealQueue((t) => setOutput((o) => o + t));
    reveal.current = queue;
    try {
      const done = await streamGeneration(
        { model, user_input: input, ...(title.trim() ? { title } : {}) },
        { signal: abort.signal, onDelta: (t) => queue.push(t) },
      );
      await queue.drained();
      setResult(done);
      setPhase('done');
      toasts.announce('Your resume is ready.');
    } catch (err) {
      queue.flush();
      if (isAbortError(err) || abort.signal.aborted) {
        setPhase('cancelled');
        toasts.announce('Generation cancelled.');
      } else if (err instanceof StreamError) {
        setStreamProblem(err.message);
        setPhase('failed');
      } else {
        setErrors(
          describeError(err, {
            fields: ['model', 'user_input', 'title'],
            labels: { user_input: 'Your experience' },
          }),
        );
        setPhase('failed');
      }
    } finally {
      if (controller.current === abort) controller.current = null;
    }
  }

  function cancel() {
    controller.current?.abort();
    reveal.current?.flush();
  }

  const resultTitle = title.trim() || firstHeading(output) || 'Untitled Resume';
  const streaming = phase === 'streaming';
  const showOutput = phase !== 'idle' && (output || streaming);

  return (
    <Page
      title="Generate"
      heading="Generate a resume"
      intro={
        <p>
          Tell us about your work, education and skills in plain words. ResuMate drafts a one-page,
          ATS-friendly resume in Markdown that you can then edit.
        </p>
      }
      wide
    >
      <div className="generate">
        <form className="card generate-form no-print" onSubmit={submit} noValidate aria-describedby="gen-form-status">
          <ErrorSummary messages={errors.summary} />
          {models.loading && !models.data ? (
            <Spinner label="Loading models…" />
          ) : models.error ? (
            <div className="notice notice-error" role="alert">
              <p>Could not load the list of models. {errorText(models.error)}</p>
              <button className="btn btn-small" type="button" onClick={models.reload}>
                Try again
              </button>
            </div>
          ) : (
            <SelectField
              id="gen-model"
              label="Model"
              value={model}
              onChange={(e) => setModel(e.target.value)}
              error={errors.fields.model}
              disabled={streaming}
              hint={
                lockedModels ? (
                  <>
                    Models marked “log in required” need an account: <Link to="/login?next=/generate">log in</Link>{' '}
                    or <Link to="/register?next=/generate">register</Link> to use them.
                  </>
                ) : undefined
              }
              after={
                selected && (selected.description || selected.response_time_info) ? (
                  <p className="model-info">
                    {selected.description}
                    {selected.response_time_info && (
                      <span className="model-time"> Typical time: {selected.response_time_info}.</span>
                    )}
                  </p>
                ) : null
              }
            >
              {list.map((m) => {
                const locked = m.login_required && !username;
                return (
                  <option key={m.model_name} value={m.model_name} disabled={locked}>
                    {m.model_name}
                    {m.login_required ? ' (log in required)' : ''}
                  </option>
                );
              })}
            </SelectField>
          )}
          <TextField
            id="gen-title"
            label="Title"
            hint="Optional. For example: Backend Developer — 2026."
            value={title}
            maxLength={255}
            onChange={(e) => setTitle(e.target.value)}
            error={errors.fields.title}
            disabled={streaming}
          />
          <TextArea
            id="gen-input"
            label="Describe your experience"
            className="gen-input"
            rows={10}
            value={input}
            onChange={(e) => setInput(e.target.value)}
            error={errors.fields.user_input}
            disabled={streaming}
            placeholder="e.g. Five years as a backend developer at a logistics company, mostly Python and PostgreSQL; led the move to Kubernetes; BSc in Computer Science…"
            after={
              <p id="gen-input-count" className={counter.ok ? 'counter counter-ok' : 'counter'}>
                {counter.label}
              </p>
            }
            aria-describedby={['gen-input-count', errors.fields.user_input ? 'gen-input-error' : '']
              .filter(Boolean)
              .join(' ')}
          />
          <div className="row">
            <button className="btn btn-primary" type="submit" disabled={streaming || !list.length}>
              <SparkIcon /> {streaming ? 'Generating…' : 'Generate'}
            </button>
            {streaming && (
              <button className="btn" type="button" onClick={cancel}>
                Cancel
              </button>
            )}
          </div>
          <p id="gen-form-status" className="visually-hidden">
            {streaming ? 'Generating your resume.' : ''}
          </p>
        </form>

        <section className="generate-output" aria-labelledby="output-heading" aria-busy={streaming}>
          <h2 id="output-heading" className="no-print">
            Your resume
          </h2>
          <p className="output-status no-print" role="status">
            {streaming && (
              <>
                <span className="spinner" aria-hidden="true" /> Writing your resume…
              </>
            )}
            {phase === 'done' &&
              (username
                ? `Done${result?.model ? ` (written by ${result.model})` : ''}. Saved as “${resultTitle}”.`
                : `Done${result?.model ? ` (written by ${result.model})` : ''}.`)}
            {phase === 'cancelled' && 'Cancelled. Nothing was saved.'}
          </p>
          {streamProblem && (
            <div className="notice notice-error" role="alert">
              <p>{streamProblem}</p>
              <p>Please try again in a few minutes, or choose another model.</p>
            </div>
          )}
          {phase === 'done' && !username && (
            <p className="notice notice-info">
              You are not logged in, so this resume is not kept in an account. Download or copy it now, or{' '}
              <Link to="/register?next=/resumes">create an account</Link> to keep and edit your resumes.
            </p>
          )}
          {phase === 'done' && (
            <div className="row no-print">
              {username && result && (
                <Link className="btn btn-primary" to={`/resumes/${result.resumeId}`}>
                  <EditIcon /> Open in editor
                </Link>
              )}
              <button
                className="btn"
                type="button"
                onClick={() => downloadText(output, fileName(resultTitle, 'md'))}
              >
                <DownloadIcon /> Download Markdown
              </button>
              <button
                className="btn"
                type="button"
                onClick={async () => {
                  const ok = await copyText(output);
                  toasts.show({
                    tone: ok ? 'success' : 'error',
                    message: ok ? 'Copied to the clipboard.' : 'Could not copy: select the text and copy it instead.',
                  });
                }}
              >
                <CopyIcon /> Copy text
              </button>
            </div>
          )}
          {showOutput ? (
            <div className="paper">
              <MarkdownPreview source={output} id="generated-resume" label="Generated resume" />
            </div>
          ) : (
            phase === 'idle' && (
              <div className="empty empty-soft">
                <SparkIcon className="empty-icon" />
                <p>Your resume will appear here as it is written.</p>
              </div>
            )
          )}
        </section>
      </div>
    </Page>
  );
}
