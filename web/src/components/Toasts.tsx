// Toasts (with an optional action such as "Undo") and a polite live region for announcements.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { CloseIcon } from './Icons';

export interface ToastOptions {
  message: string;
  tone?: 'info' | 'success' | 'error';
  action?: { label: string; onClick: () => void };
  /** Milliseconds shown (paused while hovered or focused); default 5000, errors 8000. */
  duration?: number;
  /** Called when the toast times out or is dismissed (not when its action is used). */
  onExpire?: () => void;
}

interface Toast extends ToastOptions {
  id: number;
}

interface ToastApi {
  show(options: ToastOptions): number;
  dismiss(id: number): void;
  /** Reads a short status to screen readers without showing a toast. */
  announce(text: string): void;
}

const ToastContext = createContext<ToastApi | null>(null);

export function useToasts(): ToastApi {
  const ctx = useContext(ToastContext);
  if (!ctx) throw new Error('useToasts outside ToastProvider');
  return ctx;
}

function ToastItem({ toast, onClose }: { toast: Toast; onClose: (id: number, expired: boolean) => void }) {
  const [paused, setPaused] = useState(false);
  const remaining = useRef(toast.duration ?? (toast.tone === 'error' ? 8000 : 5000));
  useEffect(() => {
    if (paused) return;
    const started = Date.now();
    const timer = setTimeout(() => onClose(toast.id, true), remaining.current);
    return () => {
      clearTimeout(timer);
      remaining.current = Math.max(1000, remaining.current - (Date.now() - started));
    };
  }, [paused, toast.id, onClose]);

  return (
    <li
      className={`toast toast-${toast.tone ?? 'info'}`}
      onMouseEnter={() => setPaused(true)}
      onMouseLeave={() => setPaused(false)}
      onFocus={() => setPaused(true)}
      onBlur={() => setPaused(false)}
    >
      <span className="toast-message">{toast.message}</span>
      {toast.action && (
        <button
          type="button"
          className="btn btn-small toast-action"
          onClick={() => {
            toast.action!.onClick();
            onClose(toast.id, false);
          }}
        >
          {toast.action.label}
        </button>
      )}
      <button
        type="button"
        className="icon-btn toast-close"
        aria-label="Dismiss notification"
        onClick={() => onClose(toast.id, true)}
      >
        <CloseIcon />
      </button>
    </li>
  );
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [announcement, setAnnouncement] = useState('');
  const nextId = useRef(1);
  const byId = useRef(new Map<number, Toast>());

  const close = useCallback((id: number, expired: boolean) => {
    const toast = byId.current.get(id);
    if (!toast) return;
    byId.current.delete(id);
    setToasts((list) => list.filter((t) => t.id !== id));
    if (expired) toast.onExpire?.();
  }, []);

  const api = useMemo<ToastApi>(
    () => ({
      show(options) {
        const toast = { ...options, id: nextId.current++ };
        byId.current.set(toast.id, toast);
        setToasts((list) => [...list, toast]);
        return toast.id;
      },
      dismiss(id) {
        close(id, false);
      },
      announce(text) {
        // Clearing first makes a repeated message be read again.
        setAnnouncement('');
        setTimeout(() => setAnnouncement(text), 50);
      },
    }),
    [close],
  );

  return (
    <ToastContext.Provider value={api}>
      {children}
      <section className="toasts" aria-label="Notifications">
        <div role="status" aria-live="polite">
          <ul className="toast-list">
            {toasts.map((t) => (
              <ToastItem key={t.id} toast={t} onClose={close} />
            ))}
          </ul>
        </div>
        <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
          {announcement}
        </div>
      </section>
    </ToastContext.Provider>
  );
}
