// API errors and the messages a person reads for them.

/** An answer with a status other than 2xx. `body` is its parsed JSON, or its text. */
export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;
  /** Seconds from Retry-After, when the answer had one. */
  readonly retryAfter: number | null;

  constructor(status: number, body: unknown, retryAfter: number | null = null) {
    super(firstMessage(body) ?? `Request failed with status ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
    this.retryAfter = retryAfter;
  }
}

/** The server could not be reached at all. */
export class NetworkError extends Error {
  constructor(message = 'Network request failed') {
    super(message);
    this.name = 'NetworkError';
  }
}

export function isAbortError(err: unknown): boolean {
  return err instanceof DOMException
    ? err.name === 'AbortError'
    : typeof err === 'object' && err !== null && (err as { name?: string }).name === 'AbortError';
}

/** Retry-After: delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: Date = new Date()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

export async function errorFromResponse(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  let body: unknown = text;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return new ApiError(res.status, body, parseRetryAfter(res.headers.get('Retry-After')));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "in 3 minutes (at 14:05)": when a request refused for `seconds` may be tried again. */
export function formatRetry(seconds: number, now: Date = new Date()): string {
  const s = Math.max(1, Math.ceil(seconds));
  let span: string;
  if (s < 60) span = plural(s, 'second');
  else if (s < 3600) span = plural(Math.ceil(s / 60), 'minute');
  else {
    const h = Math.floor(s / 3600);
    const m = Math.round((s % 3600) / 60);
    span = m ? `${plural(h, 'hour')} ${plural(m, 'minute')}` : plural(h, 'hour');
  }
  if (s < 60) return `in ${span}`;
  const at = new Date(now.getTime() + s * 1000);
  const clock = at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const sameDay = at.toDateString() === now.toDateString();
  return `in ${span} (${sameDay ? 'at' : 'tomorrow at'} ${clock})`;
}

export interface ErrorMessages {
  /** Messages for the top of the form (or the page). */
  summary: string[];
  /** Messages to show beside the form's own fields, by field name. */
  fields: Record<string, string>;
}

const IGNORED_KEYS = new Set(['code', 'messages']);

function asMessages(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((v) => asMessages(v));
  if (value && typeof value === 'object') {
    return Object.values(value as Record<string, unknown>).flatMap((v) => asMessages(v));
  }
  return [];
}

function firstMessage(body: unknown): string | undefined {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const o = body as Record<string, unknown>;
    if (typeof o.detail === 'string') return o.detail;
    if (typeof o.error === 'string') return o.error;
    for (const [k, v] of Object.entries(o)) {
      if (IGNORED_KEYS.has(k)) continue;
      const m = asMessages(v)[0];
      if (m) return m;
    }
  }
  return undefined;
}

function humanize(field: string): string {
  const s = field.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const FALLBACK: Record<number, string> = {
  400: 'The request was not accepted. Check the form and try again.',
  401: 'Please log in again.',
  403: 'You do not have permission to do that.',
  404: 'Not found. It may have been deleted.',
  405: 'That action is not allowed here.',
  413: 'That is too large to send.',
  415: 'That kind of upload is not accepted.',
  429: 'Too many requests.',
  500: 'Something went wrong on the server.',
  502: 'The service is temporarily unavailable.',
  503: 'The service is temporarily unavailable.',
  504: 'The server took too long to answer.',
};

export interface DescribeOptions {
  /** Names of the fields the form shows; errors for other fields go to the summary. */
  fields?: readonly string[];
  /** Labels for fields shown in the summary (default: the name, humanized). */
  labels?: Record<string, string>;
  now?: Date;
}

/**
 * What to tell a person about a failed request: DRF field errors beside their field,
 * `non_field_errors`/`detail`/`error` at the top, and when to retry a 429 or 503.
 */
export function describeError(err: unknown, options: DescribeOptions = {}): ErrorMessages {
  const summary: string[] = [];
  const fields: Record<string, string> = {};
  if (isAbortError(err)) return { summary, fields };
  if (err instanceof NetworkError || err instanceof TypeError) {
    return {
      summary: ["Can't reach ResuMate. Check your connection and try again."],
      fields,
    };
  }
  if (!(err instanceof ApiError)) {
    const message = err instanceof Error && err.message ? err.message : 'Something went wrong.';
    return { summary: [message], fields };
  }

  const known = new Set(options.fields ?? []);
  const body = err.body;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (IGNORED_KEYS.has(key)) continue;
      const messages = asMessages(value);
      if (!messages.length) continue;
      if (key === 'detail' || key === 'error' || key === 'non_field_errors') {
        summary.push(...messages);
      } else if (known.has(key)) {
        fields[key] = messages.join(' ');
      } else {
        const label = options.labels?.[key] ?? humanize(key);
        summary.push(...messages.map((m) => `${label}: ${m}`));
      }
    }
  } else if (Array.isArray(body)) {
    summary.push(...asMessages(body));
  }

  if (!summary.length && !Object.keys(fields).length) {
    summary.push(FALLBACK[err.status] ?? `The request failed (status ${err.status}).`);
  }
  if (err.status === 500 || err.status === 502 || err.status === 504) {
    summary.push('Please try again in a moment.');
  }
  if (err.status === 429 || err.status === 503) {
    if (err.retryAfter !== null) {
      summary.push(`You can try again ${formatRetry(err.retryAfter, options.now)}.`);
    } else if (err.status === 503) {
      summary.push('Please try again in a few minutes.');
    }
  }
  return { summary, fields };
}

/** One line for a toast or an inline notice. */
export function errorText(err: unknown, options?: DescribeOptions): string {
  const { summary, fields } = describeError(err, options);
  return [...summary, ...Object.values(fields)].join(' ');
}
