import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { describeError, errorText, type ErrorMessages } from '../api/errors';
import { JOB_STATUSES, type JobApplication, type JobApplicationRequest, type JobStatus, type Resume } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { ErrorSummary, SelectField, TextArea, TextField } from '../components/Form';
import { ArrowLeftIcon, TrashIcon } from '../components/Icons';
import { LoginRequired, Page, Spinner } from '../components/Page';
import { useUndoable } from '../components/useUndoable';
import { applicationLabel, isJobStatus } from '../lib/board';
import { todayIso } from '../lib/format';
import { useResource } from '../lib/useResource';
import { Link, navigate, useLocation } from '../router';

const NO_ERRORS: ErrorMessages = { summary: [], fields: {} };
const FIELDS = [
  'job_title',
  'company_name',
  'status',
  'date_applied',
  'resume_used',
  'original_job_description',
  'notes',
] as const;

interface FormState {
  job_title: string;
  company_name: string;
  status: JobStatus;
  date_applied: string;
  resume_used: string;
  original_job_description: string;
  notes: string;
}

function fromApplication(app: JobApplication): FormState {
  return {
    job_title: app.job_title ?? '',
    company_name: app.company_name ?? '',
    status: app.status,
    date_applied: app.date_applied ?? '',
    resume_used: app.resume_used === null || app.resume_used === undefined ? '' : String(app.resume_used),
    original_job_description: app.original_job_description ?? '',
    notes: app.notes ?? '',
  };
}

/** The request body: blank text becomes null (every field is nullable). */
export function toRequest(form: FormState): JobApplicationRequest {
  const text = (v: string) => (v.trim() ? v.trim() : null);
  return {
    job_title: text(form.job_title),
    company_name: text(form.company_name),
    status: form.status,
    date_applied: form.date_applied || null,
    resume_used: form.resume_used ? Number(form.resume_used) : null,
    original_job_description: text(form.original_job_description),
    notes: text(form.notes),
  };
}

function ApplicationForm({ initial, id }: { initial: FormState; id?: number }) {
  const undoable = useUndoable();
  const resumes = useResource<Resume[]>('form-resumes', () => api.get<Resume[]>('/api/resumes/'));
  const [form, setForm] = useState<FormState>(initial);
  const [errors, setErrors] = useState<ErrorMessages>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  const set =
    <K extends keyof FormState>(field: K) =>
    (e: { target: { value: string } }) =>
      setForm((f) => ({ ...f, [field]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      if (id === undefined) {
        await api.json<JobApplication>('POST', '/api/job-applications/', { body: toRequest(form) });
      } else {
        await api.json<JobApplication>('PATCH', `/api/job-applications/${id}/`, { body: toRequest(form) });
      }
      navigate('/tracker');
    } catch (err) {
      setErrors(
        describeError(err, {
          fields: FIELDS,
          labels: { original_job_description: 'Job description', resume_used: 'Resume used' },
        }),
      );
      setBusy(false);
    }
  }

  function remove() {
    if (id === undefined) return;
    const label = applicationLabel({ job_title: initial.job_title, company_name: initial.company_name });
    undoable({
      key: `application:${id}`,
      message: `Deleted ${label}.`,
      undoneMessage: `${label} restored.`,
      failedMessage: `${label} could not be deleted.`,
      apply: () => navigate('/tracker'),
      revert: () => navigate('/tracker?restored=' + id, { replace: true }),
      commit: async () => {
        await api.json('DELETE', `/api/job-applications/${id}/`, { keepalive: true });
      },
    });
  }

  const resumeList = resumes.data ?? [];
  const chosenMissing = form.resume_used !== '' && resumes.data && !resumeList.some((r) => String(r.id) === form.resume_used);

  return (
    <form className="card form-wide" onSubmit={submit} noValidate>
      <ErrorSummary messages={errors.summary} />
      <div className="grid-2">
        <TextField
          id="app-job-title"
          label="Job title"
          value={form.job_title}
          maxLength={255}
          onChange={set('job_title')}
          error={errors.fields.job_title}
          autoFocus={id === undefined}
        />
        <TextField
          id="app-company"
          label="Company"
          value={form.company_name}
          maxLength={255}
          onChange={set('company_name')}
          error={errors.fields.company_name}
        />
        <SelectField id="app-status" label="Status" value={form.status} onChange={set('status')} error={errors.fields.status}>
          {JOB_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </SelectField>
        <TextField
          id="app-date"
          label="Date applied"
          type="date"
          value={form.date_applied}
          onChange={set('date_applied')}
          error={errors.fields.date_applied}
        />
      </div>
      <SelectField
        id="app-resume"
        label="Resume used"
        value={form.resume_used}
        onChange={set('resume_used')}
        error={errors.fields.resume_used}
        hint={
          resumes.error
            ? `Your resumes could not be loaded: ${errorText(resumes.error)}`
            : resumes.data && !resumeList.length
              ? 'You have no resumes yet.'
              : undefined
        }
      >
        <option value="">None</option>
        {resumeList.map((r) => (
          <option key={r.id} value={String(r.id)}>
            {r.title}
          </option>
        ))}
        {chosenMissing && <option value={form.resume_used}>Resume #{form.resume_used}</option>}
      </SelectField>
      <TextArea
        id="app-description"
        label="Job description"
        hint="Paste the advert: it helps you prepare, and to tailor your resume."
        rows={6}
        value={form.original_job_description}
        onChange={set('original_job_description')}
        error={errors.fields.original_job_description}
      />
      <TextArea id="app-notes" label="Notes" rows={4} value={form.notes} onChange={set('notes')} error={errors.fields.notes} />
      <div className="row form-buttons">
        <button className="btn btn-primary" type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <Link className="btn" to="/tracker">
          Cancel
        </Link>
        {id !== undefined && (
          <button className="btn btn-danger push-right" type="button" onClick={remove}>
            <TrashIcon /> Delete
          </button>
        )}
      </div>
    </form>
  );
}

export function ApplicationFormPage({ id }: { id?: number }) {
  const { username } = useAuth();
  const { search } = useLocation();
  const resource = useResource<JobApplication>(id !== undefined && username ? `app:${id}` : null, () =>
    api.get<JobApplication>(`/api/job-applications/${id}/`),
  );
  const title = id === undefined ? 'Add application' : 'Edit application';
  const back = (
    <Link className="btn btn-ghost" to="/tracker">
      <ArrowLeftIcon /> Back to board
    </Link>
  );
  const [initialNew] = useState<FormState>(() => {
    const s = search.get('status');
    return {
      job_title: '',
      company_name: '',
      status: isJobStatus(s) ? s : 'Applied',
      date_applied: todayIso(),
      resume_used: '',
      original_job_description: '',
      notes: '',
    };
  });

  if (!username) {
    return (
      <Page title={title}>
        <LoginRequired what="your applications" next="/tracker" />
      </Page>
    );
  }
  return (
    <Page title={title} actions={back}>
      {id === undefined ? (
        <ApplicationForm initial={initialNew} />
      ) : resource.loading && !resource.data ? (
        <Spinner />
      ) : resource.error ? (
        <div className="notice notice-error" role="alert">
          <p>{errorText(resource.error)}</p>
        </div>
      ) : resource.data ? (
        <ApplicationForm initial={fromApplication(resource.data)} id={id} />
      ) : null}
    </Page>
  );
}
