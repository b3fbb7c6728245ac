import { useState, type ReactNode } from 'react';
import { api } from '../api/client';
import { errorText } from '../api/errors';
import type { AdminAIModel, AdminAIModelFields, AIProvider } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { EditIcon, PlusIcon, SettingsIcon } from '../components/Icons';
import { EmptyState, LoginRequired, Page, Spinner } from '../components/Page';
import { useToasts } from '../components/Toasts';
import { useResource } from '../lib/useResource';
import { Link } from '../router';

export const PROVIDERS: [AIProvider, string][] = [
  ['google_gemini', 'Google Gemini'],
  ['open_router', 'OpenRouter'],
  ['openai_compatible', 'OpenAI-compatible'],
  ['offline', 'Offline (built in)'],
  ['auto', 'Auto (routes to the healthiest model)'],
];

export function providerName(id: string): string {
  return PROVIDERS.find(([k]) => k === id)?.[1] ?? id;
}

export function StaffOnly({ children }: { children: ReactNode }) {
  const { username, isStaff } = useAuth();
  if (!username) {
    return (
      <Page title="AI models">
        <LoginRequired what="the AI models" next="/admin/models" />
      </Page>
    );
  }
  if (isStaff === null) {
    return (
      <Page title="AI models">
        <Spinner label="Checking your access…" />
      </Page>
    );
  }
  if (!isStaff) {
    return (
      <Page title="AI models">
        <EmptyState icon={<SettingsIcon />} title="Staff only">
          <p>Only ResuMate staff can configure the AI models.</p>
        </EmptyState>
      </Page>
    );
  }
  return <>{children}</>;
}

function ModelsTable() {
  const toasts = useToasts();
  const models = useResource<AdminAIModel[]>('admin-models', () => api.get<AdminAIModel[]>('/api/admin/ai-models/'));
  const [busy, setBusy] = useState<number | null>(null);

  async function toggle(m: AdminAIModel) {
    setBusy(m.id);
    try {
      const updated = await api.json<AdminAIModel>('PATCH', `/api/admin/ai-models/${m.id}/`, {
        body: { is_active: !m.is_active } satisfies AdminAIModelFields,
      });
      models.setData((list) => list?.map((x) => (x.id === updated.id ? updated : x)));
      toasts.show({
        tone: 'success',
        message: `${updated.display_name} is ${updated.is_active ? 'enabled' : 'disabled'}.`,
      });
    } catch (err) {
      toasts.show({ tone: 'error', message: `${m.display_name} was not changed. ${errorText(err)}` });
    } finally {
      setBusy(null);
    }
  }

  if (models.loading && !models.data) return <Spinner label="Loading models…" />;
  if (models.error) {
    return (
      <div className="notice notice-error" role="alert">
        <p>{errorText(models.error)}</p>
      </div>
    );
  }
  const list = models.data ?? [];
  if (!list.length) {
    return (
      <EmptyState icon={<SettingsIcon />} title="No models configured">
        <p>Add a model so people can generate resumes.</p>
      </EmptyState>
    );
  }
  return (
    <div className="table-wrap" role="region" aria-label="AI models table" tabIndex={0}>
      <table className="table">
        <caption className="visually-hidden">AI models</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Provider</th>
            <th scope="col">Provider model</th>
            <th scope="col">Daily limit</th>
            <th scope="col">Log in required</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.map((m) => (
            <tr key={m.id}>
              <th scope="row">
                <Link to={`/admin/models/${m.id}`}>{m.display_name}</Link>
              </th>
              <td>{providerName(m.api_provider)}</td>
              <td>
                <code>{m.model_name}</code>
              </td>
              <td>{m.daily_limit ? `${m.daily_limit} a day` : 'No limit'}</td>
              <td>{m.login_required ? 'Yes' : 'No'}</td>
              <td>
                <span className={m.is_active ? 'status status-offer' : 'status status-rejected'}>
                  {m.is_active ? 'Enabled' : 'Disabled'}
                </span>
              </td>
              <td>
                <div className="row row-nowrap">
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={busy === m.id}
                  onClick={() => toggle(m)}
                  aria-label={`${m.is_active ? 'Disable' : 'Enable'} ${m.display_name}`}
                >
                  {m.is_active ? 'Disable' : 'Enable'}
                </button>
                <Link className="btn btn-small" to={`/admin/models/${m.id}`} aria-label={`Edit ${m.display_name}`}>
                  <EditIcon /> Edit
                </Link>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function AdminModelsPage() {
  return (
    <StaffOnly>
      <Page
        title="AI models"
        intro={<p>The models people can choose when generating a resume. Changes apply at once.</p>}
        actions={
          <Link className="btn btn-primary" to="/admin/models/new">
            <PlusIcon /> Add model
          </Link>
        }
        wide
      >
        <ModelsTable />
      </Page>
    </StaffOnly>
  );
}
