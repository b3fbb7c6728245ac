import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../App';
import { api } from '../api/client';
import type { ApiKey, NewApiKey } from '../api/types';
import { AuthProvider } from '../auth/AuthContext';
import { REFRESH_KEY, USERNAME_KEY } from '../auth/tokens';
import { ToastProvider } from '../components/Toasts';
import { pending } from '../lib/pending';
import { fakeJwt } from '../test/jwt';
import { apiKeyRequest, describeDeleted } from './SettingsPage';

type Handler = (init: RequestInit | undefined) => Response | Promise<Response>;

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

const OLD_KEY: ApiKey = {
  id: 3,
  name: 'Sheets',
  scopes: ['read'],
  prefix: 'rm_Ab12Cd34',
  created_at: '2025-01-05T10:00:00Z',
  expires_at: null,
  last_used_at: null,
};

/** The app at /settings, logged in as jane, with the API answering from `routes` ("METHOD /path"). */
function renderSettings(routes: Record<string, Handler>, { loggedIn = true } = {}) {
  if (loggedIn) api.tokens.setSession(fakeJwt(Math.floor(Date.now() / 1000) + 300), 'refresh-1', 'jane');
  window.history.replaceState(null, '', '/settings');
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    const handler = routes[`${init?.method ?? 'GET'} ${url}`];
    if (handler) return handler(init);
    if (url === '/api/admin/ai-models/') return json(403, { detail: 'You do not have permission to perform this action.' });
    return json(404, { detail: 'Not found.' });
  });
  vi.stubGlobal('fetch', fetchMock);
  render(
    <ToastProvider>
      <AuthProvider>
        <App />
      </AuthProvider>
    </ToastProvider>,
  );
  return fetchMock;
}

function bodyOf(fetchMock: ReturnType<typeof renderSettings>, method: string, url: string): unknown {
  const calls = fetchMock.mock.calls.filter(([u, init]) => u === url && (init?.method ?? 'GET') === method);
  const call = calls[calls.length - 1];
  return call ? JSON.parse(String(call[1]?.body)) : undefined;
}

function describedBy(label: string): string {
  const el = screen.getByLabelText(label);
  return (el.getAttribute('aria-describedby') ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

const keysList = (list: ApiKey[]) => ({ 'GET /api/auth/api-keys/': () => json(200, list) });

beforeEach(() => {
  vi.spyOn(window, 'scrollTo').mockImplementation(() => {});
});

afterEach(() => {
  api.tokens.clear();
  pending.discardAll();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('<SettingsPage>', () => {
  it('asks a visitor to log in, and a logged-in user reaches it from the header', async () => {
    renderSettings({}, { loggedIn: false });
    const link = await screen.findByRole('link', { name: 'Log in to continue' });
    expect(link.getAttribute('href')).toBe('/login?next=%2Fsettings');
    expect(screen.queryByRole('link', { name: 'Settings' })).toBeNull();

    act(() => api.tokens.setSession(fakeJwt(Math.floor(Date.now() / 1000) + 300), 'refresh-1', 'jane'));
    const settings = await screen.findByRole('link', { name: 'Settings' });
    expect(settings.getAttribute('href')).toBe('/settings');
    expect(settings.getAttribute('aria-current')).toBe('page');
    expect(await screen.findByRole('heading', { level: 2, name: 'Change password' })).toBeTruthy();
  });

  it('changes the password, then logs in again with the new one and keeps the session', async () => {
    const fetchMock = renderSettings({
      ...keysList([]),
      'POST /api/auth/password/change/': () => json(200, { detail: 'Password changed.' }),
      'POST /api/auth/token/': () => json(200, { access: fakeJwt(Math.floor(Date.now() / 1000) + 300), refresh: 'refresh-2' }),
    });
    fireEvent.change(await screen.findByLabelText('Current password'), { target: { value: 'Old-pass-123!' } });
    fireEvent.change(screen.getByLabelText('New password'), { target: { value: 'New-pass-456!' } });
    fireEvent.change(screen.getByLabelText('Confirm new password'), { target: { value: 'New-pass-456!' } });
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));

    expect(await screen.findByText(/Your password has been changed\. You are still logged in here/)).toBeTruthy();
    expect(bodyOf(fetchMock, 'POST', '/api/auth/password/change/')).toEqual({
      old_password: 'Old-pass-123!',
      new_password: 'New-pass-456!',
      new_password2: 'New-pass-456!',
    });
    expect(bodyOf(fetchMock, 'POST', '/api/auth/token/')).toEqual({ username: 'jane', password: 'New-pass-456!' });
    const tokenCall = fetchMock.mock.calls.find(([u]) => u === '/api/auth/token/');
    expect((tokenCall?.[1]?.headers as Record<string, string>).Authorization).toBeUndefined();
    expect(localStorage.getItem(REFRESH_KEY)).toBe('refresh-2');
    expect(localStorage.getItem(USERNAME_KEY)).toBe('jane');
    expect(window.location.pathname).toBe('/settings');
    expect(screen.getByRole('button', { name: 'Log out' })).toBeTruthy();
    expect((screen.getByLabelText('Current password') as HTMLInputElement).value).toBe('');
  });

  it('sends the user to log in when the new session cannot be made', async () => {
    renderSettings({
      ...keysList([]),
      'POST /api/auth/password/change/': () => json(200, { detail: 'Password changed.' }),
      'POST /api/auth/token/': () => json(503, { detail: 'Service unavailable.' }),
    });
    fireEvent.change(await screen.findByLabelText('Current password'), { target: { value: 'Old-pass-123!' } });
    fireEvent.change(screen.getByLabelText('New password'), { target: { value: 'New-pass-456!' } });
    fireEvent.change(screen.getByLabelText('Confirm new password'), { target: { value: 'New-pass-456!' } });
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));

    expect(await screen.findByText('Your password has been changed. Please log in with your new password.')).toBeTruthy();
    expect(window.location.pathname + window.location.search).toBe('/login?next=%2Fsettings');
    expect(localStorage.getItem(REFRESH_KEY)).toBeNull();
    expect(screen.getByRole('link', { name: 'Log in' })).toBeTruthy();
  });

  it('puts the API\'s password errors beside their fields and keeps the session', async () => {
    let answer = json(400, { old_password: ['Your old password was entered incorrectly. Please enter it again.'] });
    const fetchMock = renderSettings({ ...keysList([]), 'POST /api/auth/password/change/': () => answer });
    fireEvent.change(await screen.findByLabelText('Current password'), { target: { value: 'wrong' } });
    fireEvent.change(screen.getByLabelText('New password'), { target: { value: '123' } });
    fireEvent.change(screen.getByLabelText('Confirm new password'), { target: { value: '1234' } });
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));

    const message = await screen.findByText('Your old password was entered incorrectly. Please enter it again.');
    expect(message.id).toBe('pw-old-error');
    expect(screen.getByLabelText('Current password').getAttribute('aria-invalid')).toBe('true');
    expect(describedBy('Current password')).toContain('entered incorrectly');

    answer = json(400, {
      new_password: ['This password is too short. It must contain at least 8 characters.', 'This password is entirely numeric.'],
      new_password2: ['The two password fields didn’t match.'],
    });
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    await waitFor(() => expect(describedBy('New password')).toContain('This password is too short.'));
    expect(describedBy('New password')).toContain('This password is entirely numeric.');
    expect(describedBy('Confirm new password')).toContain('The two password fields didn’t match.');
    expect(screen.getByLabelText('Current password').getAttribute('aria-invalid')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull(); // nothing for the top: all beside fields
    expect(fetchMock.mock.calls.some(([u]) => u === '/api/auth/token/')).toBe(false);
    expect(localStorage.getItem(REFRESH_KEY)).toBe('refresh-1');
  });

  it('lists keys with "never", creates one, shows its key once, and the list never shows it', async () => {
    const made: NewApiKey = {
      id: 9,
      name: 'Zapier',
      scopes: ['read', 'write'],
      prefix: 'rm_Zz98Yy76',
      created_at: new Date().toISOString(),
      expires_at: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      last_used_at: null,
      key: 'rm_Zz98Yy76_secret-part-of-the-key',
    };
    const fetchMock = renderSettings({
      ...keysList([OLD_KEY]),
      'POST /api/auth/api-keys/': () => json(201, made),
    });
    const old = (await screen.findByText('Sheets')).closest('li')!;
    expect(within(old).getByText('Read only')).toBeTruthy();
    expect(within(old).getByText('rm_Ab12Cd34…')).toBeTruthy();
    expect(old.textContent).toContain('Expiresnever');
    expect(old.textContent).toContain('Last usednever');

    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Zapier' } });
    fireEvent.click(screen.getByLabelText('Can write'));
    fireEvent.change(screen.getByLabelText('Expires after (days)'), { target: { value: '30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));

    const field = (await screen.findByLabelText('New API key')) as HTMLInputElement;
    expect(field.value).toBe(made.key);
    expect(field.readOnly).toBe(true);
    expect(document.activeElement).toBe(field);
    expect(describedBy('New API key')).toContain('it will not be shown again');
    expect(bodyOf(fetchMock, 'POST', '/api/auth/api-keys/')).toEqual({
      name: 'Zapier',
      scopes: ['read', 'write'],
      expires_in_days: 30,
    });
    const item = screen.getByText('Zapier', { selector: '.key-name' }).closest('li')!;
    expect(within(item).getByText('Read and write')).toBeTruthy();
    expect(item.textContent).not.toContain('secret-part');

    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    fireEvent.click(screen.getByRole('button', { name: 'Copy key' }));
    expect(await screen.findByText('Key copied to the clipboard.')).toBeTruthy();
    expect(writeText).toHaveBeenCalledWith(made.key);

    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByLabelText('New API key')).toBeNull();
    expect(document.body.textContent).not.toContain('secret-part');
    expect([...document.querySelectorAll('input')].some((i) => i.value.includes('secret-part'))).toBe(false);
    expect(document.activeElement).toBe(screen.getByLabelText('Name'));
    expect(screen.getAllByRole('button', { name: /^Revoke / }).map((b) => b.getAttribute('aria-label'))).toEqual([
      'Revoke Zapier',
      'Revoke Sheets',
    ]);
  });

  it('shows a key form error beside its field; without an expiry nothing is sent for it', async () => {
    const fetchMock = renderSettings({
      ...keysList([]),
      'POST /api/auth/api-keys/': () => json(400, { name: ['This field may not be blank.'] }),
    });
    expect(await screen.findByText('You have no API keys.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    const message = await screen.findByText('This field may not be blank.');
    expect(message.id).toBe('key-name-error');
    expect(bodyOf(fetchMock, 'POST', '/api/auth/api-keys/')).toEqual({ name: '', scopes: ['read'] });
  });

  it('revokes a key only after confirmation', async () => {
    const fetchMock = renderSettings({
      ...keysList([OLD_KEY]),
      'DELETE /api/auth/api-keys/3/': () => new Response(null, { status: 204 }),
    });
    const revoke = await screen.findByRole('button', { name: 'Revoke Sheets' });
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false);
    fireEvent.click(revoke);
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Revoke the API key “Sheets”?'));
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'DELETE')).toBe(false);

    confirm.mockReturnValueOnce(true);
    fireEvent.click(revoke);
    expect(await screen.findByText('API key “Sheets” revoked.')).toBeTruthy();
    expect(fetchMock.mock.calls.some(([u, init]) => u === '/api/auth/api-keys/3/' && init?.method === 'DELETE')).toBe(true);
    expect(screen.queryByRole('button', { name: 'Revoke Sheets' })).toBeNull();
    expect(screen.getByText('You have no API keys.')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'API keys' }));
  });

  it('deletes the account: a wrong password is shown beside the field, then the session and tokens are cleared', async () => {
    let answer = json(400, { password: ['Your password was entered incorrectly. Please enter it again.'] });
    const fetchMock = renderSettings({ ...keysList([]), 'DELETE /api/auth/account/': () => answer });
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    const del = await screen.findByRole('button', { name: 'Delete my account' });

    fireEvent.click(del); // no password typed: asked for, nothing sent
    expect(await screen.findByText('Enter your password to delete your account.')).toBeTruthy();
    expect(confirm).not.toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText('Your password'), { target: { value: 'wrong' } });
    fireEvent.click(del);
    const message = await screen.findByText('Your password was entered incorrectly. Please enter it again.');
    expect(message.id).toBe('delete-password-error');
    expect(localStorage.getItem(REFRESH_KEY)).toBe('refresh-1');

    const undoable = vi.fn(async () => {});
    pending.add('resume:1', undoable);
    answer = json(200, { deleted: { resumes: 2, job_applications: 1 } });
    fireEvent.change(screen.getByLabelText('Your password'), { target: { value: 'Right-pass-1!' } });
    fireEvent.click(del);
    expect(
      await screen.findByText('Your account has been deleted, along with 2 resumes and 1 job application.'),
    ).toBeTruthy();
    expect(bodyOf(fetchMock, 'DELETE', '/api/auth/account/')).toEqual({ password: 'Right-pass-1!' });
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Delete the account “jane”'));
    expect(localStorage.getItem(REFRESH_KEY)).toBeNull();
    expect(localStorage.getItem(USERNAME_KEY)).toBeNull();
    expect(api.tokens.isLoggedIn()).toBe(false);
    expect(await api.tokens.getAccessToken()).toBeNull();
    expect(window.location.pathname).toBe('/');
    expect(screen.getByRole('link', { name: 'Log in' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Log out' })).toBeNull();
    expect(pending.has('resume:1')).toBe(false);
    expect(undoable).not.toHaveBeenCalled();
  });
});

describe('settings helpers', () => {
  it('builds the key request: read only, or read and write; the expiry only when given', () => {
    expect(apiKeyRequest('a', false, '')).toEqual({ name: 'a', scopes: ['read'] });
    expect(apiKeyRequest('a', true, ' 90 ')).toEqual({ name: 'a', scopes: ['read', 'write'], expires_in_days: 90 });
    expect(apiKeyRequest('a', false, '1.5')).toEqual({ name: 'a', scopes: ['read'], expires_in_days: '1.5' });
  });

  it('says what deleting the account removed', () => {
    expect(describeDeleted({ resumes: 1, job_applications: 0 })).toBe('1 resume and 0 job applications');
    expect(describeDeleted({ resumes: 3, job_applications: 2, api_keys: 1 })).toBe('3 resumes, 2 job applications and 1 API key');
    expect(describeDeleted({})).toBe('nothing else');
  });
});
