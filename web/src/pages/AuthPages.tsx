import { useState, type FormEvent } from 'react';
import { useAuth } from '../auth/AuthContext';
import { describeError, type ErrorMessages } from '../api/errors';
import { ErrorSummary, NEW_PASSWORD_HINT, TextField } from '../components/Form';
import { Page } from '../components/Page';
import { useToasts } from '../components/Toasts';
import { Link, navigate, useLocation } from '../router';

const NO_ERRORS: ErrorMessages = { summary: [], fields: {} };

function safeNext(next: string | null): string {
  // Only paths inside the app: never another origin.
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/resumes';
}

export function LoginPage() {
  const { login } = useAuth();
  const toasts = useToasts();
  const { search } = useLocation();
  const next = safeNext(search.get('next'));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<ErrorMessages>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await login(username, password);
      toasts.show({ tone: 'success', message: `Welcome back, ${username.trim()}.` });
      navigate(next, { replace: true });
    } catch (err) {
      setErrors(describeError(err, { fields: ['username', 'password'] }));
      setBusy(false);
    }
  }

  return (
    <Page title="Log in">
      <form className="card form-narrow" onSubmit={submit} noValidate>
        <ErrorSummary messages={errors.summary} />
        <TextField
          id="login-username"
          label="Username"
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          error={errors.fields.username}
          required
        />
        <TextField
          id="login-password"
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.fields.password}
          required
        />
        <button className="btn btn-primary btn-block" type="submit" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
        <p className="form-foot">
          New to ResuMate? <Link to={`/register?next=${encodeURIComponent(next)}`}>Create an account</Link>
        </p>
      </form>
    </Page>
  );
}

export function RegisterPage() {
  const { register } = useAuth();
  const toasts = useToasts();
  const { search } = useLocation();
  const next = safeNext(search.get('next'));
  const [form, setForm] = useState({ username: '', email: '', password: '', password2: '' });
  const [errors, setErrors] = useState<ErrorMessages>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  const set = (field: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [field]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await register(form);
      toasts.show({ tone: 'success', message: `Welcome to ResuMate, ${form.username.trim()}.` });
      navigate(next, { replace: true });
    } catch (err) {
      setErrors(
        describeError(err, {
          fields: ['username', 'email', 'password', 'password2'],
          labels: { password2: 'Confirm password' },
        }),
      );
      setBusy(false);
    }
  }

  return (
    <Page title="Register" heading="Create your account">
      <form className="card form-narrow" onSubmit={submit} noValidate>
        <ErrorSummary messages={errors.summary} />
        <TextField
          id="register-username"
          label="Username"
          hint="Letters, digits and @ . + - _ only."
          autoComplete="username"
          value={form.username}
          onChange={set('username')}
          error={errors.fields.username}
          required
        />
        <TextField
          id="register-email"
          label="Email"
          type="email"
          autoComplete="email"
          value={form.email}
          onChange={set('email')}
          error={errors.fields.email}
          required
        />
        <TextField
          id="register-password"
          label="Password"
          type="password"
          hint={NEW_PASSWORD_HINT}
          autoComplete="new-password"
          value={form.password}
          onChange={set('password')}
          error={errors.fields.password}
          required
        />
        <TextField
          id="register-password2"
          label="Confirm password"
          type="password"
          autoComplete="new-password"
          value={form.password2}
          onChange={set('password2')}
          error={errors.fields.password2}
          required
        />
        <button className="btn btn-primary btn-block" type="submit" disabled={busy}>
          {busy ? 'Creating your account…' : 'Register'}
        </button>
        <p className="form-foot">
          Already have an account? <Link to={`/login?next=${encodeURIComponent(next)}`}>Log in</Link>
        </p>
      </form>
    </Page>
  );
}
