// Labelled form controls with their error beside them, and the form's error summary.
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';

interface FieldShellProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: (describedBy: string | undefined) => ReactNode;
  className?: string;
  after?: ReactNode;
}

function FieldShell({ id, label, hint, error, children, className, after }: FieldShellProps) {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={['field', error ? 'has-error' : '', className ?? ''].filter(Boolean).join(' ')}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {children(ids || undefined)}
      {after}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

type Common = { id: string; label: ReactNode; hint?: ReactNode; error?: string; className?: string; after?: ReactNode };

/** What the server's password validators (Django's) ask of a new password. */
export const NEW_PASSWORD_HINT =
  'At least 8 characters; not a common password, not all digits, not like your username.';

export function TextField({ id, label, hint, error, className, after, ...input }: Common & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} className={className} after={after}>
      {(describedBy) => (
        <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      )}
    </FieldShell>
  );
}

export function TextArea({ id, label, hint, error, className, after, ...input }: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} className={className} after={after}>
      {(describedBy) => (
        <textarea id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      )}
    </FieldShell>
  );
}

export function SelectField({
  id,
  label,
  hint,
  error,
  className,
  after,
  children,
  ...input
}: Common & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} className={className} after={after}>
      {(describedBy) => (
        <select id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input}>
          {children}
        </select>
      )}
    </FieldShell>
  );
}

export function CheckboxField({
  id,
  label,
  hint,
  error,
  ...input
}: Omit<Common, 'after' | 'className'> & InputHTMLAttributes<HTMLInputElement>) {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={['field field-check', error ? 'has-error' : ''].filter(Boolean).join(' ')}>
      <input
        type="checkbox"
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={ids || undefined}
        {...input}
      />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

export function ErrorSummary({ messages, title }: { messages: string[]; title?: string }) {
  if (!messages.length) return null;
  return (
    <div className="notice notice-error" role="alert">
      {title && <p className="notice-title">{title}</p>}
      {messages.length === 1 ? (
        <p>{messages[0]}</p>
      ) : (
        <ul>
          {messages.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
