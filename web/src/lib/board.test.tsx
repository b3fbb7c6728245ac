import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { JobApplication, JobStatus } from '../api/types';
import { Board } from '../pages/TrackerPage';
import { adjacentStatus, applicationLabel, groupByStatus, moveApplication, sortApplications } from './board';

let nextId = 1;
function app(overrides: Partial<JobApplication> = {}): JobApplication {
  const id = nextId++;
  return {
    id,
    user: 1,
    job_title: `Job ${id}`,
    company_name: `Company ${id}`,
    original_job_description: null,
    resume_used: null,
    date_applied: null,
    status: 'Applied',
    notes: null,
    is_deleted: false,
    is_example: false,
    created_at: `2026-01-0${(id % 9) + 1}T10:00:00.000000Z`,
    updated_at: `2026-01-0${(id % 9) + 1}T10:00:00.000000Z`,
    ...overrides,
  } as JobApplication;
}

describe('board logic', () => {
  it('groups applications into one column per status, newest first', () => {
    const a = app({ status: 'Applied', date_applied: '2026-01-01' });
    const b = app({ status: 'Applied', date_applied: '2026-02-01' });
    const c = app({ status: 'Offer' });
    const cols = groupByStatus([a, b, c]);
    expect(Object.keys(cols)).toEqual(['Applied', 'Interviewing', 'Offer', 'Rejected']);
    expect(cols.Applied.map((x) => x.id)).toEqual([b.id, a.id]);
    expect(cols.Offer).toEqual([c]);
    expect(cols.Interviewing).toEqual([]);
  });

  it('moves one application without changing the others or the input', () => {
    const a = app();
    const b = app();
    const list = [a, b];
    const moved = moveApplication(list, a.id, 'Interviewing');
    expect(moved[0]).toEqual({ ...a, status: 'Interviewing' });
    expect(moved[1]).toBe(b);
    expect(list[0].status).toBe('Applied');
    expect(moveApplication(list, a.id, 'Applied')).toBe(list);
    expect(moveApplication(list, 9999, 'Offer')).toBe(list);
  });

  it('knows the neighbouring columns', () => {
    expect(adjacentStatus('Applied', 1)).toBe('Interviewing');
    expect(adjacentStatus('Applied', -1)).toBeNull();
    expect(adjacentStatus('Rejected', 1)).toBeNull();
    expect(adjacentStatus('Offer', -1)).toBe('Interviewing');
  });

  it('sorts the list view with empty values last, statuses in board order', () => {
    const a = app({ company_name: 'beta', status: 'Offer', date_applied: '2026-01-05' });
    const b = app({ company_name: 'Alpha', status: 'Applied', date_applied: null });
    const c = app({ company_name: null, status: 'Interviewing', date_applied: '2026-01-03' });
    expect(sortApplications([a, b, c], 'company_name', 'ascending').map((x) => x.id)).toEqual([b.id, a.id, c.id]);
    expect(sortApplications([a, b, c], 'company_name', 'descending').map((x) => x.id)).toEqual([a.id, b.id, c.id]);
    expect(sortApplications([a, b, c], 'status', 'ascending').map((x) => x.id)).toEqual([b.id, c.id, a.id]);
    expect(sortApplications([a, b, c], 'date_applied', 'descending').map((x) => x.id)).toEqual([a.id, c.id, b.id]);
  });

  it('names a card by job and company', () => {
    expect(applicationLabel({ job_title: 'Backend Developer', company_name: 'Acme' })).toBe('Backend Developer at Acme');
    expect(applicationLabel({ job_title: null, company_name: null })).toBe('Untitled application');
  });
});

describe('<Board>', () => {
  function setup() {
    const a = app({ job_title: 'Backend Developer', company_name: 'Acme', status: 'Applied' });
    const onMove = vi.fn<(a: JobApplication, s: JobStatus) => void>();
    render(<Board apps={[a]} onMove={onMove} onDelete={() => undefined} />);
    return { a, onMove, card: screen.getByRole('article', { name: 'Backend Developer at Acme' }) };
  }

  it('moves a focused card with the arrow keys', () => {
    const { a, onMove, card } = setup();
    card.focus();
    fireEvent.keyDown(card, { key: 'ArrowRight' });
    expect(onMove).toHaveBeenCalledWith(a, 'Interviewing');
    fireEvent.keyDown(card, { key: 'ArrowLeft' }); // already in the first column
    expect(onMove).toHaveBeenCalledTimes(1);
  });

  it('moves a card from its "Move to…" menu', () => {
    const { a, onMove } = setup();
    fireEvent.click(screen.getByRole('button', { name: 'Move to…' }));
    expect(screen.queryByRole('button', { name: 'Move to Applied' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Move to Offer' }));
    expect(onMove).toHaveBeenCalledWith(a, 'Offer');
    expect(screen.queryByRole('button', { name: 'Move to Offer' })).toBeNull();
  });

  it('moves a card dropped on another column', () => {
    const { a, onMove, card } = setup();
    const data = new Map<string, string>();
    const dataTransfer = {
      setData: (k: string, v: string) => data.set(k, v),
      getData: (k: string) => data.get(k) ?? '',
      get types() {
        return [...data.keys()];
      },
      effectAllowed: 'all',
      dropEffect: 'none',
    };
    fireEvent.dragStart(card, { dataTransfer });
    const column = screen.getByRole('heading', { name: /Interviewing/ }).closest('section')!;
    fireEvent.dragOver(column, { dataTransfer });
    fireEvent.drop(column, { dataTransfer });
    expect(onMove).toHaveBeenCalledWith(a, 'Interviewing');
  });

  it('is read-only for the example board', () => {
    const a = app({ job_title: 'Designer', company_name: 'Example Co' });
    render(<Board apps={[a]} readOnly />);
    const card = screen.getByRole('article', { name: 'Designer at Example Co' });
    expect(card.getAttribute('draggable')).toBe('false');
    expect(screen.queryByRole('button')).toBeNull();
  });
});
