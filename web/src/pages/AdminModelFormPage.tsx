import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { describeError, errorText, type ErrorMessages } from '../api/errors';
import type { AdminAIModel, AdminAIModelRequest, AIProvider } from '../api/types';
import { CheckboxField, ErrorSummary, SelectField, TextArea, TextField } from '../components/Form';
import { ArrowLeftIcon, TrashIcon } from '../components/Icons';
import { Page, Spinner } from '../components/Page';
import { useToasts } from '../components/Toasts';
import { useResource } from '../lib/useResource';
import { Link, navigate } from '../router';
import { PROVIDERS, StaffOnly } from './AdminModelsPage';

const NO_ERRORS: ErrorMessages = { summary: [], fields: {} };
const FIELDS = [
  'display_name',
  'model_name',
  'api_provider',
  'api_key_name',
  'is_active',
  'login_required',
  'daily_limit',
  'response_time_info',
  'description',
] as const;

interface FormState {
  display_name: string;
  model_name: string;
  api_provider: AIProvider;
  api_key_name: string;
  is_active: boolean;
  login_required: boolean;
  daily_limit: string;
  response_time_info: string;
  description: string;
}

const EMPTY: FormState = {
  display_name: '',
  model_name: '',
  api_provider: 'open_router',
  api_key_name: '',
  is_active: true,
  login_required: false,
  daily_limit: '0',
  response_time_info: '',
  description: '',
};

function fromModel(m: AdminAIModel): FormState {
  return {
    display_name: m.display_name,
    model_name: m.model_name,
    api_provider: m.api_provider,
    api_key_name: m.api_key_name ?? '',
    is_active: m.is_active,
    login_required: m.login_required,
    daily_limit: String(m.daily_limit ?? 0),
    response_time_info: m.response_time_info ?? '',
    description: m.description ?? '',
  };
}

function toRequest(f: FormState): AdminAIModelRequest {
  const limit = f.daily_limit.trim();
  const body: AdminAIModelRequest = {
    display_name: f.display_name,
    model_name: f.model_name,
    api_provider: f.api_provider,
    api_key_name: f.api_key_name,
    is_active: f.is_active,
    login_required: f.login_required,
    // Sent as typed so that the server's own message explains a bad value.
    daily_limit: (limit === '' ? 0 : /^-?\d+$/.test(limit) ? Number(limit) : limit) as number,
    response_time_info: f.response_time_info,
    description: f.description,
  };
  return body;
}

function ModelForm({ initial, id }: { initial: FormState; id?: number }) {
  const toasts = useToasts();
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<ErrorMessages>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const text = (field: keyof FormState) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [field]: e.target.value }));
  const check = (field: 'is_active' | 'login_required') => (e: { target: { checked: boolean } }) =>
    setForm((f) => ({ ...f, [field]: e.target.checked }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const saved =
        id === undefined
          ? await api.json<AdminAIModel>('POST', '/api/admin/ai-models/', { body: toRequest(form) })
          : await api.json<AdminAIModel>('PUT', `/api/admin/ai-models/${id}/`, { body: toRequest(form) });
      toasts.show({ tone: 'success', message: `${saved.display_name} saved.` });
      navigate('/admin/models');
    } catch (err) {
      setErrors(describeError(err, { fields: FIELDS }));
      setBusy(false);
    }
  }

  async function remove() {
    if (id === undefined) return;
    if (!window.confirm(`Delete the model “${initial.display_name}”? People will no longer be able to choose it.`)) return;
    setBusy(true);
    try {
      await api.json('DELETE', `/api/admin/ai-models/${id}/`);
      toasts.show({ tone: 'success', message: `${initial.display_name} deleted.` });
      navigate('/admin/models');
    } catch (err) {
      setErrors(describeError(err));
      setBusy(false);
    }
  }

  return (
    <form className="card form-wide" onSubmit={submit} noValidate>
      <ErrorSummary messages={errors.summary} />
      <div className="grid-2">
        <TextField
          id="model-display-name"
          label="Display name"
          hint="What people see in the model picker."
          value={form.display_name}
          maxLength={100}
          onChange={text('display_name')}
          error={errors.fields.display_name}
          required
        />
        <TextField
          id="model-model-name"
          label="Provider model ID"
          hint="The provider's name for it, e.g. deepseek/deepseek-r1."
          value={form.model_name}
          maxLength={100}
          onChange={text('model_name')}
          error={errors.fields.model_name}
          required
        />
        <SelectField
          id="model-provider"
          label="Provider"
          value={form.api_provider}
          onChange={(e) => setForm((f) => ({ ...f, api_provider: e.target.value as AIProvider }))}
          error={errors.fields.api_provider}
        >
          {PROVIDERS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
          {!PROVIDERS.some(([v]) => v === form.api_provider) && <option value={form.api_provider}>{form.api_provider}</option>}
        </SelectField>
        <TextField
          id="model-key-name"
          label="API key variable"
          hint="The environment variable holding the key, e.g. OPENROUTER_API_KEY. Empty for none."
          value={form.api_key_name}
          maxLength={100}
          onChange={text('api_key_name')}
          error={errors.fields.api_key_name}
        />
        <TextField
          id="model-daily-limit"
          label="Daily limit"
          hint="Generations per person per day (UTC). 0 means no limit."
          type="number"
          inputMode="numeric"
          min={0}
          step={1}
          value={form.daily_limit}
          onChange={text('daily_limit')}
          error={errors.fields.daily_limit}
        />
        <TextField
          id="model-response-time"
          label="Response time"
          hint="Shown to people, e.g. “About 10 seconds”."
          value={form.response_time_info}
          maxLength={100}
          onChange={text('response_time_info')}
          error={errors.fields.response_time_info}
        />
      </div>
      <TextArea
        id="model-description"
        label="Description"
        rows={3}
        value={form.description}
        onChange={text('description')}
        error={errors.fields.description}
      />
      <CheckboxField
        id="model-active"
        label="Active"
        hint="Inactive models are hidden from the picker."
        checked={form.is_active}
        onChange={check('is_active')}
        error={errors.fields.is_active}
      />
      <CheckboxField
        id="model-login-required"
        label="Log in required"
        checked={form.login_required}
        onChange={check('login_required')}
        error={errors.fields.login_required}
      />
      <div className="row form-buttons">
        <button className="btn btn-primary" type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <Link className="btn" to="/admin/models">
          Cancel
        </Link>
        {id !== undefined && (
          <button className="btn btn-danger push-right" type="button" onClick={remove} disabled={busy}>
            <TrashIcon /> Delete model
          </button>
        )}
      </div>
    </form>
  );
}

function EditModel({ id }: { id: number }) {
  const model = useResource<AdminAIModel>(`admin-model:${id}`, () => api.get<AdminAIModel>(`/api/admin/ai-models/${id}/`));
  if (model.loading && !model.data) return <Spinner />;
  if (model.error) {
    return (
      <div className="notice notice-error" role="alert">
        <p>{errorText(model.error)}</p>
      </div>
    );
  }
  return model.data ? <ModelForm initial={fromModel(model.data)} id={id} /> : null;
}

export function AdminModelFormPage({ id }: { id?: number }) {
  const back = (
    <Link className="btn btn-ghost" to="/admin/models">
      <ArrowLeftIcon /> All models
    </Link>
  );
  return (
    <StaffOnly>
      <Page title={id === undefined ? 'Add model' : 'Edit model'} actions={back}>
        {id === undefined ? <ModelForm initial={EMPTY} /> : <EditModel id={id} />}
      </Page>
    </StaffOnly>
  );
}
