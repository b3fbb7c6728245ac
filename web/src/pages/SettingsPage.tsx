// Account settings: change the password, personal API keys for integrations, delete the account.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { ApiError, describeError, errorText, type ErrorMessages } from '../api/errors';
import type { ApiKey, ApiKeyRequest, NewApiKey, PasswordChangeRequest } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { CheckboxField, ErrorSummary, NEW_PASSWORD_HINT, TextField } from '../components/Form';
import { CopyIcon, TrashIcon } from '../components/Icons';
import { LoginRequired, Page, Spinner } from '../components/Page';
import { useToasts } from '../components/Toasts';
import { copyText, formatDate, formatRelative } from '../lib/format';
import { useResource } from '../lib/useResource';
import { navigate } from '../router';

const NO_ERRORS: ErrorMessages = { summary: [], fields: {} };
export const MAX_EXPIRY_DAYS = 3650;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const DELETED_NAMES: Record<string, [string, string]> = {
  resumes: ['resume', 'resumes'],
  job_applications: ['job application', 'job applications'],
  api_keys: ['API key', 'API keys'],
};

/** "2 resumes and 1 job application": what deleting the account removed. */
export function describeDeleted(deleted: Record<string, number>): string {
  const parts = Object.entries(deleted).map(([kind, n]) => {
    const words = kind.replace(/_/g, ' ');
    const [one, many] = DELETED_NAMES[kind] ?? [words.replace(/s$/, ''), words];
    return plural(n, one, many);
  });
  if (parts.length === 0) return 'nothing else';
  if (parts.length === 1) return parts[0];
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** A new key as the list shows it: everything but the key itself. */
export function listedKey(made: NewApiKey): ApiKey {
  const { id, name, scopes, prefix, created_at, expires_at, last_used_at } = made;
  return { id, name, scopes, prefix, created_at, expires_at, last_used_at };
}

/** The request for a new key from the form's values (an odd expiry is sent as typed, for the server to explain). */
export function apiKeyRequest(name: string, canWrite: boolean, expiry: string): ApiKeyRequest {
  const body: ApiKeyRequest = { name, scopes: canWrite ? ['read', 'write'] : ['read'] };
  const days = expiry.trim();
  if (days !== '') body.expires_in_days = (/^\d+$/.test(days) ? Number(days) : days) as number;
  return body;
}

// --- Change password -----------------------------------------------------------------------------

const PASSWORD_FIELDS = ['old_password', 'new_password', 'new_password2'] as const;
const EMPTY_PASSWORDS: PasswordChangeRequest = { old_password: '', new_password: '', new_password2: '' };

function ChangePassword({ username }: { username: string }) {
  const { changePassword } = useAuth();
  const toasts = useToasts();
  const [form, setForm] = useState<PasswordChangeRequest>(EMPTY_PASSWORDS);
  const [errors, setErrors] = useState<ErrorMessages>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const set = (field: keyof PasswordChangeRequest) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [field]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    let continued: boolean;
    try {
      continued = await changePassword(form);
    } catch (err) {
      setErrors(
        describeError(err, {
          fields: PASSWORD_FIELDS,
          labels: { old_password: 'Current password', new_password: 'New password', new_password2: 'Confirm new password' },
        }),
      );
      setBusy(false);
      return;
    }
    setBusy(false);
    setForm(EMPTY_PASSWORDS);
    if (continued) {
      toasts.show({
        tone: 'success',
        message: 'Your password has been changed. You are still logged in here; other devices must log in again.',
      });
    } else {
      toasts.show({ tone: 'info', message: 'Your password has been changed. Please log in with your new password.' });
      navigate(`/login?next=${encodeURIComponent('/settings')}`, { replace: true });
    }
  }

  return (
    <section className="card settings-section" aria-labelledby="settings-password-title">
      <h2 id="settings-password-title">Change password</h2>
      <p className="hint">Changing it logs you out everywhere else: other devices and browsers must log in again.</p>
      <form className="form-narrow settings-form" onSubmit={submit} noValidate>
        {/* For password managers: whose password this is. */}
        <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
        <ErrorSummary messages={errors.summary} />
        <TextField
          id="pw-old"
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={form.old_password}
          onChange={set('old_password')}
          error={errors.fields.old_password}
          required
        />
        <TextField
          id="pw-new"
          label="New password"
          type="password"
          hint={NEW_PASSWORD_HINT}
          autoComplete="new-password"
          value={form.new_password}
          onChange={set('new_password')}
          error={errors.fields.new_password}
          required
        />
        <TextField
          id="pw-new2"
          label="Confirm new password"
          type="password"
          autoComplete="new-password"
          value={form.new_password2}
          onChange={set('new_password2')}
          error={errors.fields.new_password2}
          required
        />
        <button className="btn btn-primary" type="submit" disabled={busy}>
          {busy ? 'Changing password…' : 'Change password'}
        </button>
      </form>
    </section>
  );
}

// --- API keys ------------------------------------------------------------------------------------

const KEY_FIELDS = ['name', 'scopes', 'expires_in_days'] as const;

function When({ iso, relative = false }: { iso: string | null; relative?: boolean }) {
  if (!iso) return <>never</>;
  return (
    <time dateTime={iso} title={new Date(iso).toLocaleString()}>
      {relative ? formatRelative(iso) : formatDate(iso)}
    </time>
  );
}

function KeyItem({ apiKey, busy, onRevoke }: { apiKey: ApiKey; busy: boolean; onRevoke: () => void }) {
  const writes = apiKey.scopes.includes('write');
  const expired = apiKey.expires_at !== null && new Date(apiKey.expires_at).getTime() <= Date.now();
  return (
    <li className="key-item">
      <div className="key-head">
        <span className="key-name">{apiKey.name}</span>
        <span className={writes ? 'scope scope-write' : 'scope'}>{writes ? 'Read and write' : 'Read only'}</span>
        {expired && <span className="scope scope-expired">Expired</span>}
      </div>
      <p className="key-prefix">
        <code>{apiKey.prefix}…</code>
      </p>
      <dl className="key-meta">
        <div>
          <dt>Created</dt>
          <dd>
            <When iso={apiKey.created_at} />
          </dd>
        </div>
        <div>
          <dt>Expires</dt>
          <dd>
            <When iso={apiKey.expires_at} />
          </dd>
        </div>
        <div>
          <dt>Last used</dt>
          <dd>
            <When iso={apiKey.last_used_at} relative />
          </dd>
        </div>
      </dl>
      <button
        type="button"
        className="btn btn-small btn-danger key-revoke"
        aria-label={`Revoke ${apiKey.name}`}
        disabled={busy}
        onClick={onRevoke}
      >
        <TrashIcon /> Revoke
      </button>
    </li>
  );
}

function NewKey({ created, onDone }: { created: NewApiKey; onDone: () => void }) {
  const toasts = useToasts();
  const select = () => (document.getElementById('new-key') as HTMLInputElement | null)?.select();
  return (
    <div className="new-key" role="group" aria-labelledby="new-key-title">
      <p id="new-key-title" className="notice-title">
        Your new key “{created.name}”
      </p>
      <TextField
        id="new-key"
        label="New API key"
        hint="Copy it now: it will not be shown again. ResuMate keeps only a fingerprint of it; if you lose it, revoke it and create another."
        className="new-key-field"
        value={created.key}
        readOnly
        spellCheck={false}
        autoComplete="off"
        autoFocus
        onFocus={(e) => e.currentTarget.select()}
      />
      <div className="row">
        <button
          type="button"
          className="btn btn-primary btn-small"
          onClick={async () => {
            const ok = await copyText(created.key);
            if (!ok) select();
            toasts.show({
              tone: ok ? 'success' : 'error',
              message: ok ? 'Key copied to the clipboard.' : 'Could not copy: the key is selected, copy it yourself.',
            });
          }}
        >
          <CopyIcon /> Copy key
        </button>
        <button type="button" className="btn btn-small" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

function ApiKeys({ username }: { username: string }) {
  const toasts = useToasts();
  const keys = useResource<ApiKey[]>(`api-keys:${username}`, () => api.get<ApiKey[]>('/api/auth/api-keys/'));
  const [name, setName] = useState('');
  const [canWrite, setCanWrite] = useState(false);
  const [expiry, setExpiry] = useState('');
  const [errors, setErrors] = useState<ErrorMessages>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<NewApiKey | null>(null);
  const [revoking, setRevoking] = useState<number | null>(null);
  const [listError, setListError] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  const refocusForm = useRef(false);

  // After "Done", the form is back: focus its first field.
  useEffect(() => {
    if (created || !refocusForm.current) return;
    refocusForm.current = false;
    document.getElementById('key-name')?.focus();
  }, [created]);

  async function create(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const made = await api.json<NewApiKey>('POST', '/api/auth/api-keys/', {
        body: apiKeyRequest(name, canWrite, expiry),
      });
      // The list keeps what the server lists: never the key itself.
      const listed = listedKey(made);
      keys.setData((list) => [listed, ...(list ?? []).filter((k) => k.id !== listed.id)]);
      setCreated(made);
      setName('');
      setCanWrite(false);
      setExpiry('');
    } catch (err) {
      setErrors(describeError(err, { fields: KEY_FIELDS, labels: { expires_in_days: 'Expires after (days)' } }));
    } finally {
      setBusy(false);
    }
  }

  async function revoke(key: ApiKey) {
    if (!window.confirm(`Revoke the API key “${key.name}”? Integrations using it stop working at once.`)) return;
    setRevoking(key.id);
    setListError('');
    try {
      await api.json('DELETE', `/api/auth/api-keys/${key.id}/`);
      keys.setData((list) => list?.filter((k) => k.id !== key.id));
      if (created?.id === key.id) setCreated(null);
      toasts.show({ tone: 'success', message: `API key “${key.name}” revoked.` });
      heading.current?.focus();
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        keys.setData((list) => list?.filter((k) => k.id !== key.id));
        toasts.show({ message: `API key “${key.name}” was already revoked.` });
      } else {
        setListError(`Could not revoke “${key.name}”. ${errorText(err)}`);
      }
    } finally {
      setRevoking(null);
    }
  }

  const list = keys.data ?? [];
  return (
    <section className="card settings-section" aria-labelledby="settings-keys-title">
      <h2 id="settings-keys-title" ref={heading} tabIndex={-1}>
        API keys
      </h2>
      <p className="hint">
        Personal API keys let an integration (a spreadsheet add-on, a script) use your ResuMate data without your
        password: it sends the header <code>Authorization: Api-Key &lt;key&gt;</code>. A read-only key can only read.
      </p>

      {created ? (
        <NewKey
          created={created}
          onDone={() => {
            refocusForm.current = true;
            setCreated(null);
          }}
        />
      ) : (
        <form className="form-narrow settings-form" onSubmit={create} noValidate aria-labelledby="new-key-form-title">
          <h3 id="new-key-form-title">Create a key</h3>
          <ErrorSummary messages={errors.summary} />
          <TextField
            id="key-name"
            label="Name"
            hint="What it is for, e.g. “Spreadsheet”."
            value={name}
            maxLength={100}
            onChange={(e) => setName(e.target.value)}
            error={errors.fields.name}
            required
          />
          <CheckboxField
            id="key-write"
            label="Can write"
            hint="Without it the key can only read: no changes, no deletes."
            checked={canWrite}
            onChange={(e) => setCanWrite(e.target.checked)}
            error={errors.fields.scopes}
          />
          <TextField
            id="key-expiry"
            label="Expires after (days)"
            hint={`Optional, 1 to ${MAX_EXPIRY_DAYS}. Empty: the key does not expire.`}
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_EXPIRY_DAYS}
            step={1}
            value={expiry}
            onChange={(e) => setExpiry(e.target.value)}
            error={errors.fields.expires_in_days}
          />
          <button className="btn btn-primary" type="submit" disabled={busy}>
            {busy ? 'Creating key…' : 'Create key'}
          </button>
        </form>
      )}

      <h3 className="keys-title">Your keys</h3>
      {listError && (
        <div className="notice notice-error" role="alert">
          <p>{listError}</p>
        </div>
      )}
      {keys.loading && !keys.data ? (
        <Spinner label="Loading your keys…" />
      ) : keys.error ? (
        <div className="notice notice-error" role="alert">
          <p>{errorText(keys.error)}</p>
          <button type="button" className="btn btn-small" onClick={keys.reload}>
            Try again
          </button>
        </div>
      ) : list.length === 0 ? (
        <p className="keys-empty">You have no API keys.</p>
      ) : (
        <ul className="key-list">
          {list.map((k) => (
            <KeyItem key={k.id} apiKey={k} busy={revoking === k.id} onRevoke={() => void revoke(k)} />
          ))}
        </ul>
      )}
    </section>
  );
}

// --- Delete account ------------------------------------------------------------------------------

function DeleteAccount({ username }: { username: string }) {
  const { deleteAccount } = useAuth();
  const toasts = useToasts();
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<ErrorMessages>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setErrors(NO_ERRORS);
    if (!password) {
      setErrors({ summary: [], fields: { password: 'Enter your password to delete your account.' } });
      return;
    }
    if (!window.confirm(`Delete the account “${username}” and everything in it? This cannot be undone.`)) return;
    setBusy(true);
    try {
      const result = await deleteAccount(password);
      navigate('/', { replace: true });
      toasts.show({
        tone: 'success',
        message: `Your account has been deleted, along with ${describeDeleted(result.deleted)}.`,
        duration: 10_000,
      });
    } catch (err) {
      setErrors(describeError(err, { fields: ['password'] }));
      setBusy(false);
    }
  }

  return (
    <section className="card settings-section danger-zone" aria-labelledby="settings-delete-title">
      <h2 id="settings-delete-title">Delete account</h2>
      <p>
        This deletes your account and everything in it at once: your resumes, your job applications (the trash too)
        and your API keys. It cannot be undone.
      </p>
      <form className="form-narrow settings-form" onSubmit={submit} noValidate>
        <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
        <ErrorSummary messages={errors.summary} />
        <TextField
          id="delete-password"
          label="Your password"
          hint="To confirm that it is you."
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.fields.password}
          required
        />
        <button className="btn btn-danger btn-danger-solid" type="submit" disabled={busy}>
          <TrashIcon /> {busy ? 'Deleting account…' : 'Delete my account'}
        </button>
      </form>
    </section>
  );
}

export function SettingsPage() {
  const { username } = useAuth();
  if (!username) {
    return (
      <Page title="Account settings">
        <LoginRequired what="your account settings" next="/settings" />
      </Page>
    );
  }
  return (
    <Page
      title="Account settings"
      intro={
        <p>
          Logged in as <strong>{username}</strong>.
        </p>
      }
    >
      <div className="settings">
        <ChangePassword username={username} />
        <ApiKeys username={username} />
        <DeleteAccount username={username} />
      </div>
    </Page>
  );
}
