// The tracker board's logic: grouping by status, moving cards, sorting the list view.
import { JOB_STATUSES, type JobApplication, type JobStatus } from '../api/types';

export type BoardColumns = Record<JobStatus, JobApplication[]>;

function byRecency(a: JobApplication, b: JobApplication): number {
  const da = a.date_applied ?? '';
  const db = b.date_applied ?? '';
  if (da !== db) return da < db ? 1 : -1;
  return a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b.id - a.id;
}

/** One list per status, newest application first. */
export function groupByStatus(apps: readonly JobApplication[]): BoardColumns {
  const columns = Object.fromEntries(JOB_STATUSES.map((s) => [s, [] as JobApplication[]])) as BoardColumns;
  for (const app of apps) (columns[app.status] ?? columns.Applied).push(app);
  for (const s of JOB_STATUSES) columns[s].sort(byRecency);
  return columns;
}

export function isJobStatus(value: unknown): value is JobStatus {
  return typeof value === 'string' && (JOB_STATUSES as readonly string[]).includes(value);
}

/** The list with one application moved to `status`; the same list when nothing changes. */
export function moveApplication(
  apps: readonly JobApplication[],
  id: number,
  status: JobStatus,
): JobApplication[] {
  const index = apps.findIndex((a) => a.id === id);
  if (index === -1 || apps[index].status === status) return apps as JobApplication[];
  const next = apps.slice();
  next[index] = { ...apps[index], status };
  return next;
}

/** The column left (-1) or right (+1) of `status`, or null at the board's edge. */
export function adjacentStatus(status: JobStatus, direction: -1 | 1): JobStatus | null {
  const i = JOB_STATUSES.indexOf(status) + direction;
  return i >= 0 && i < JOB_STATUSES.length ? JOB_STATUSES[i] : null;
}

export type SortKey = 'job_title' | 'company_name' | 'status' | 'date_applied' | 'updated_at';
export type SortDirection = 'ascending' | 'descending';

/** Sorted copy; empty values always last; status in board order. */
export function sortApplications(
  apps: readonly JobApplication[],
  key: SortKey,
  direction: SortDirection,
): JobApplication[] {
  const sign = direction === 'ascending' ? 1 : -1;
  const value = (a: JobApplication): string | number | null => {
    if (key === 'status') return JOB_STATUSES.indexOf(a.status);
    const v = a[key];
    return v === null || v === undefined || v === '' ? null : String(v).toLocaleLowerCase();
  };
  return apps.slice().sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null && vb === null) return a.id - b.id;
    if (va === null) return 1;
    if (vb === null) return -1;
    if (va < vb) return -sign;
    if (va > vb) return sign;
    return a.id - b.id;
  });
}

/** A card's name for screen readers and menus: "Backend Developer at Acme". */
export function applicationLabel(app: Pick<JobApplication, 'job_title' | 'company_name'>): string {
  const title = app.job_title?.trim() || 'Untitled application';
  const company = app.company_name?.trim();
  return company ? `${title} at ${company}` : title;
}
