import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { api } from '../api/client';
import { errorText } from '../api/errors';
import {
  JOB_STATUSES,
  type ExampleJobApplicationList,
  type JobApplication,
  type JobApplicationRequest,
  type JobStatus,
} from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { BoardIcon, EditIcon, GripIcon, ListIcon, PlusIcon, TrashIcon } from '../components/Icons';
import { EmptyState, OfflineNotice, Page, Spinner } from '../components/Page';
import { useToasts } from '../components/Toasts';
import { useUndoable } from '../components/useUndoable';
import {
  adjacentStatus,
  applicationLabel,
  groupByStatus,
  isJobStatus,
  moveApplication,
  sortApplications,
  type SortDirection,
  type SortKey,
} from '../lib/board';
import { formatDate, formatRelative } from '../lib/format';
import { pending } from '../lib/pending';
import { useResource } from '../lib/useResource';
import { Link } from '../router';

const DRAG_TYPE = 'application/x-resumate-application';

function statusClass(status: JobStatus) {
  return `status status-${status.toLowerCase()}`;
}

interface BoardProps {
  apps: JobApplication[];
  readOnly?: boolean;
  onMove?: (app: JobApplication, status: JobStatus) => void;
  onDelete?: (app: JobApplication) => void;
}

function Card({
  app,
  readOnly,
  menuOpen,
  setMenuOpen,
  onMove,
  onDelete,
  onDragStart,
  onDragEnd,
}: {
  app: JobApplication;
  readOnly: boolean;
  menuOpen: boolean;
  setMenuOpen: (open: boolean) => void;
  onMove?: (app: JobApplication, status: JobStatus) => void;
  onDelete?: (app: JobApplication) => void;
  onDragStart: (app: JobApplication) => void;
  onDragEnd: () => void;
}) {
  const label = applicationLabel(app);
  const trigger = useRef<HTMLButtonElement>(null);
  const menuId = `move-menu-${app.id}`;

  function keyDown(e: KeyboardEvent<HTMLElement>) {
    if (readOnly || e.target !== e.currentTarget) return;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      const to = adjacentStatus(app.status, e.key === 'ArrowLeft' ? -1 : 1);
      if (to) {
        e.preventDefault();
        onMove?.(app, to);
      }
    }
  }

  function drag(e: DragEvent<HTMLElement>) {
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData(DRAG_TYPE, String(app.id));
    e.dataTransfer.setData('text/plain', label);
    onDragStart(app);
  }

  return (
    <article
      id={`job-card-${app.id}`}
      className="job-card"
      aria-label={label}
      aria-describedby={readOnly ? undefined : 'board-help'}
      tabIndex={readOnly ? undefined : 0}
      draggable={!readOnly}
      onDragStart={readOnly ? undefined : drag}
      onDragEnd={readOnly ? undefined : onDragEnd}
      onKeyDown={keyDown}
    >
      <div className="job-card-head">
        {!readOnly && <GripIcon className="grip" />}
        <h3 className="job-title">{app.job_title || 'Untitled application'}</h3>
      </div>
      {app.company_name && <p className="job-company">{app.company_name}</p>}
      <p className="job-meta">
        {app.date_applied ? `Applied ${formatDate(app.date_applied)}` : `Added ${formatRelative(app.created_at)}`}
      </p>
      {app.notes && <p className="job-notes">{app.notes}</p>}
      {!readOnly && (
        <div className="job-actions">
          <button
            ref={trigger}
            type="button"
            className="btn btn-small"
            aria-expanded={menuOpen}
            aria-controls={menuId}
            onClick={() => setMenuOpen(!menuOpen)}
          >
            Move to…
          </button>
          <Link className="btn btn-small" to={`/tracker/${app.id}/edit`} aria-label={`Edit ${label}`}>
            <EditIcon /> Edit
          </Link>
          <button
            type="button"
            className="icon-btn btn-danger-ghost"
            aria-label={`Delete ${label}`}
            onClick={() => onDelete?.(app)}
          >
            <TrashIcon />
          </button>
          {menuOpen && (
            <ul
              id={menuId}
              className="move-menu"
              aria-label={`Move ${label} to`}
              onKeyDown={(e) => {
                if (e.key === 'Escape') {
                  setMenuOpen(false);
                  trigger.current?.focus();
                }
              }}
            >
              {JOB_STATUSES.filter((s) => s !== app.status).map((s, i) => (
                <li key={s}>
                  <button
                    type="button"
                    className="menu-item"
                    autoFocus={i === 0}
                    onClick={() => {
                      setMenuOpen(false);
                      onMove?.(app, s);
                    }}
                  >
                    Move to {s}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </article>
  );
}

export function Board({ apps, readOnly = false, onMove, onDelete }: BoardProps) {
  const columns = groupByStatus(apps);
  const [dragging, setDragging] = useState<JobApplication | null>(null);
  const [over, setOver] = useState<JobStatus | null>(null);
  const [menu, setMenu] = useState<number | null>(null);

  function drop(e: DragEvent<HTMLElement>, status: JobStatus) {
    e.preventDefault();
    setOver(null);
    const id = Number(e.dataTransfer.getData(DRAG_TYPE)) || dragging?.id;
    const app = apps.find((a) => a.id === id);
    setDragging(null);
    if (app && isJobStatus(status) && app.status !== status) onMove?.(app, status);
  }

  return (
    <>
      {!readOnly && (
        <p id="board-help" className="hint board-help">
          Drag a card to another column, or focus a card and press the left or right arrow key, or use its
          “Move to…” button.
        </p>
      )}
      <div className="board">
        {JOB_STATUSES.map((status) => (
          <section
            key={status}
            className={['column', over === status ? 'is-over' : ''].join(' ')}
            aria-labelledby={`col-${status}`}
            data-status={status}
            onDragOver={
              readOnly
                ? undefined
                : (e) => {
                    if (!dragging && !Array.from(e.dataTransfer.types).includes(DRAG_TYPE)) return;
                    e.preventDefault();
                    e.dataTransfer.dropEffect = 'move';
                    if (over !== status) setOver(status);
                  }
            }
            onDragLeave={
              readOnly
                ? undefined
                : (e) => {
                    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(null);
                  }
            }
            onDrop={readOnly ? undefined : (e) => drop(e, status)}
          >
            <h2 id={`col-${status}`} className="column-title">
              <span className={statusClass(status)}>{status}</span>
              <span className="column-count" aria-label={`${columns[status].length} applications`}>
                {columns[status].length}
              </span>
            </h2>
            <ul className="column-list">
              {columns[status].map((app) => (
                <li key={app.id}>
                  <Card
                    app={app}
                    readOnly={readOnly}
                    menuOpen={menu === app.id}
                    setMenuOpen={(open) => setMenu(open ? app.id : null)}
                    onMove={onMove}
                    onDelete={onDelete}
                    onDragStart={setDragging}
                    onDragEnd={() => {
                      setDragging(null);
                      setOver(null);
                    }}
                  />
                </li>
              ))}
              {columns[status].length === 0 && <li className="column-empty">{readOnly ? 'None' : 'Nothing here yet'}</li>}
            </ul>
          </section>
        ))}
      </div>
    </>
  );
}

const SORT_COLUMNS: [SortKey, string][] = [
  ['job_title', 'Job title'],
  ['company_name', 'Company'],
  ['status', 'Status'],
  ['date_applied', 'Date applied'],
  ['updated_at', 'Last updated'],
];

function ApplicationTable({ apps, onDelete }: { apps: JobApplication[]; onDelete: (a: JobApplication) => void }) {
  const [sort, setSort] = useState<{ key: SortKey; dir: SortDirection }>({ key: 'date_applied', dir: 'descending' });
  const rows = sortApplications(apps, sort.key, sort.dir);
  return (
    <div className="table-wrap" role="region" aria-label="Applications table" tabIndex={0}>
      <table className="table">
        <caption className="visually-hidden">
          Your applications, sorted by {SORT_COLUMNS.find(([k]) => k === sort.key)?.[1]} ({sort.dir})
        </caption>
        <thead>
          <tr>
            {SORT_COLUMNS.map(([key, label]) => (
              <th key={key} scope="col" aria-sort={sort.key === key ? sort.dir : undefined}>
                <button
                  type="button"
                  className="sort-btn"
                  onClick={() =>
                    setSort((s) => ({
                      key,
                      dir: s.key === key && s.dir === 'ascending' ? 'descending' : 'ascending',
                    }))
                  }
                >
                  {label}
                  <span aria-hidden="true" className="sort-mark">
                    {sort.key === key ? (sort.dir === 'ascending' ? '▲' : '▼') : '↕'}
                  </span>
                </button>
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => (
            <tr key={a.id}>
              <td>
                <Link to={`/tracker/${a.id}/edit`}>{a.job_title || 'Untitled application'}</Link>
              </td>
              <td>{a.company_name}</td>
              <td>
                <span className={statusClass(a.status)}>{a.status}</span>
              </td>
              <td>{formatDate(a.date_applied)}</td>
              <td>{formatRelative(a.updated_at)}</td>
              <td>
                <button
                  type="button"
                  className="icon-btn btn-danger-ghost"
                  aria-label={`Delete ${applicationLabel(a)}`}
                  onClick={() => onDelete(a)}
                >
                  <TrashIcon />
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type View = 'board' | 'list';
const VIEW_KEY = 'resumate.trackerView';

function MyTracker({ username }: { username: string }) {
  const toasts = useToasts();
  const undoable = useUndoable();
  const resource = useResource<JobApplication[]>(`apps:${username}`, () =>
    api.get<JobApplication[]>('/api/job-applications/'),
  );
  const [hidden, setHidden] = useState<Set<number>>(new Set());
  const [view, setView] = useState<View>(() => (localStorage.getItem(VIEW_KEY) === 'list' ? 'list' : 'board'));
  const [focusId, setFocusId] = useState<number | null>(null);

  useEffect(() => {
    localStorage.setItem(VIEW_KEY, view);
  }, [view]);

  // Keyboard moves: keep focus on the card in its new column.
  useEffect(() => {
    if (focusId === null) return;
    document.getElementById(`job-card-${focusId}`)?.focus();
    setFocusId(null);
  }, [focusId, resource.data]);

  const apps = (resource.data ?? []).filter((a) => !hidden.has(a.id) && !pending.has(`application:${a.id}`));

  async function move(app: JobApplication, status: JobStatus) {
    const from = app.status;
    const label = applicationLabel(app);
    const hadFocus = document.activeElement?.closest?.(`#job-card-${app.id}`) != null;
    resource.setData((list) => (list ? moveApplication(list, app.id, status) : list));
    if (hadFocus) setFocusId(app.id);
    toasts.announce(`Moved ${label} to ${status}.`);
    try {
      const saved = await api.json<JobApplication>('PATCH', `/api/job-applications/${app.id}/`, {
        body: { status } satisfies JobApplicationRequest,
      });
      resource.setData((list) => list?.map((a) => (a.id === saved.id ? saved : a)));
    } catch (err) {
      resource.setData((list) => (list ? moveApplication(list, app.id, from) : list));
      toasts.show({ tone: 'error', message: `${label} could not be moved. ${errorText(err)}` });
    }
  }

  function remove(app: JobApplication) {
    const label = applicationLabel(app);
    undoable({
      key: `application:${app.id}`,
      message: `Deleted ${label}.`,
      undoneMessage: `${label} restored.`,
      failedMessage: `${label} could not be deleted.`,
      apply: () => setHidden((h) => new Set(h).add(app.id)),
      revert: () =>
        setHidden((h) => {
          const n = new Set(h);
          n.delete(app.id);
          return n;
        }),
      commit: async () => {
        await api.json('DELETE', `/api/job-applications/${app.id}/`, { keepalive: true });
        resource.setData((list) => list?.filter((a) => a.id !== app.id));
      },
    });
  }

  const counts = groupByStatus(apps);
  return (
    <Page
      title="Tracker"
      heading="Job tracker"
      wide
      intro={
        apps.length ? (
          <p>
            {apps.length} application{apps.length === 1 ? '' : 's'} · {counts.Interviewing.length} interviewing ·{' '}
            {counts.Offer.length} offer{counts.Offer.length === 1 ? '' : 's'}
          </p>
        ) : undefined
      }
      actions={
        <>
          <div className="segmented" role="group" aria-label="View">
            <button type="button" aria-pressed={view === 'board'} onClick={() => setView('board')}>
              <BoardIcon /> Board
            </button>
            <button type="button" aria-pressed={view === 'list'} onClick={() => setView('list')}>
              <ListIcon /> List
            </button>
          </div>
          <Link className="btn btn-primary" to="/tracker/new">
            <PlusIcon /> Add application
          </Link>
        </>
      }
    >
      <OfflineNotice show={resource.offline} />
      {resource.loading && !resource.data ? (
        <Spinner label="Loading your applications…" />
      ) : resource.error ? (
        <div className="notice notice-error" role="alert">
          <p>{errorText(resource.error)}</p>
          <button className="btn btn-small" type="button" onClick={resource.reload}>
            Try again
          </button>
        </div>
      ) : apps.length === 0 ? (
        <EmptyState icon={<BoardIcon />} title="No applications yet">
          <p>Add the jobs you apply for and move them along as you hear back.</p>
          <p className="row-center">
            <Link className="btn btn-primary" to="/tracker/new">
              <PlusIcon /> Add your first application
            </Link>
          </p>
        </EmptyState>
      ) : view === 'board' ? (
        <Board apps={apps} readOnly={resource.offline} onMove={move} onDelete={remove} />
      ) : (
        <ApplicationTable apps={apps} onDelete={remove} />
      )}
    </Page>
  );
}

function ExampleBoard() {
  const resource = useResource<ExampleJobApplicationList>('examples', () =>
    api.get<ExampleJobApplicationList>('/api/example-job-applications/', { auth: false }),
  );
  return (
    <Page
      title="Tracker"
      heading="Job tracker"
      wide
      intro={<p>Follow every application from “Applied” to “Offer”, on a board or in a sortable list.</p>}
    >
      <div className="notice notice-info callout">
        <p>
          <strong>This is an example board.</strong> Register to track your own applications, with the resume
          you sent for each.
        </p>
        <p className="row">
          <Link className="btn btn-primary" to="/register?next=/tracker">
            Register to track yours
          </Link>
          <Link className="btn" to="/login?next=/tracker">
            Log in to your tracker
          </Link>
        </p>
      </div>
      {resource.loading && !resource.data ? (
        <Spinner label="Loading the example board…" />
      ) : resource.error ? (
        <div className="notice notice-error" role="alert">
          <p>{errorText(resource.error)}</p>
        </div>
      ) : (
        <Board apps={resource.data?.data ?? []} readOnly />
      )}
    </Page>
  );
}

export function TrackerPage() {
  const { username } = useAuth();
  return username ? <MyTracker username={username} /> : <ExampleBoard />;
}
