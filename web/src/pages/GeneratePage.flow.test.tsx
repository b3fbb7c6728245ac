import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthProvider } from '../auth/AuthContext';
import { ToastProvider } from '../components/Toasts';
import { GeneratePage } from './GeneratePage';

const MODELS = {
  cache_status: 'HIT (Response from Redis cache)',
  data: [
    { model_name: 'Auto', login_required: false, response_time_info: 'Varies', description: 'Best available.' },
    { model_name: 'Google Gemini', login_required: true, response_time_info: 'Fast', description: 'Gemini.' },
  ],
};
const INPUT = 'Six years as a backend developer: Python, PostgreSQL, Kubernetes; BSc Computer Science.';

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

function renderPage(generate: (init?: RequestInit) => Response | Promise<Response>) {
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    if (url === '/api/ai/models/') return json(200, MODELS);
    if (url === '/api/ai/generate/stream/') return generate(init);
    return json(404, { detail: 'Not found.' });
  });
  vi.stubGlobal('fetch', fetchMock);
  render(
    <ToastProvider>
      <AuthProvider>
        <GeneratePage />
      </AuthProvider>
    </ToastProvider>,
  );
  return fetchMock;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('<GeneratePage>', () => {
  it('marks login-only models, counts characters, and streams the answer in', async () => {
    const encoder = new TextEncoder();
    let push!: (text: string) => void;
    let close!: () => void;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (t) => controller.enqueue(encoder.encode(t));
        close = () => controller.close();
      },
    });
    const fetchMock = renderPage(() => new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }));

    const gemini = await screen.findByRole('option', { name: 'Google Gemini (log in required)' });
    expect((gemini as HTMLOptionElement).disabled).toBe(true);
    expect((screen.getByLabelText('Model') as HTMLSelectElement).value).toBe('Auto');

    const input = screen.getByLabelText('Describe your experience');
    fireEvent.change(input, { target: { value: 'too short' } });
    expect(screen.getByText('9 / 50 characters minimum (41 to go)')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Generate' }));
    expect(await screen.findByText('Write at least 50 characters (41 more).')).toBeTruthy();
    expect(fetchMock).toHaveBeenCalledTimes(1); // the models only: nothing was sent

    fireEvent.change(input, { target: { value: INPUT } });
    fireEvent.click(screen.getByRole('button', { name: 'Generate' }));
    await screen.findByRole('button', { name: 'Cancel' });
    const sent = JSON.parse(String(fetchMock.mock.calls[1][1]?.body));
    expect(sent).toEqual({ model: 'Auto', user_input: INPUT });

    await act(async () => push('data: {"delta": "# Jane Doe\\n"}\n\n'));
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Jane Doe' })).toBeTruthy());
    await act(async () => {
      push('data: {"delta": "\\n## Skills\\n"}\n\nevent: done\ndata: {"resume_id": 7, "model": "ResuMate Offline"}\n\n');
      close();
    });
    expect(await screen.findByText('Done (written by ResuMate Offline).')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Skills' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Download Markdown' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy text' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Open in editor' })).toBeNull(); // a visitor's resume
  });

  it('stops the stream on Cancel', async () => {
    let signal: AbortSignal | undefined;
    renderPage((init) => {
      signal = init?.signal ?? undefined;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('data: {"delta": "# Partial"}\n\n'));
          signal?.addEventListener('abort', () => controller.error(new DOMException('Aborted', 'AbortError')));
        },
      });
      return new Response(body, { status: 200 });
    });
    await screen.findByRole('option', { name: 'Auto' });
    fireEvent.change(screen.getByLabelText('Describe your experience'), { target: { value: INPUT } });
    fireEvent.click(screen.getByRole('button', { name: 'Generate' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(await screen.findByText('Cancelled. Nothing was saved.')).toBeTruthy();
    expect(signal?.aborted).toBe(true);
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
  });

  it('shows the daily limit with when to retry, and a provider failure plainly', async () => {
    let answer = json(
      429,
      { detail: 'Daily limit of 5 requests reached for the Google Gemini model.' },
      { 'Retry-After': '7200' },
    );
    renderPage(() => answer);
    await screen.findByRole('option', { name: 'Auto' });
    fireEvent.change(screen.getByLabelText('Describe your experience'), { target: { value: INPUT } });
    fireEvent.click(screen.getByRole('button', { name: 'Generate' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Daily limit of 5 requests reached for the Google Gemini model.');
    expect(alert.textContent).toMatch(/You can try again in 2 hours \((at|tomorrow at) /);

    answer = json(503, { error: 'An error occurred while communicating with the AI service.' });
    fireEvent.click(screen.getByRole('button', { name: 'Generate' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toContain(
        'An error occurred while communicating with the AI service.Please try again in a few minutes.',
      ),
    );
  });

  it('puts a validation error beside its field', async () => {
    renderPage(() => json(400, { model: ['This model is not valid or is currently disabled.'] }));
    await screen.findByRole('option', { name: 'Auto' });
    fireEvent.change(screen.getByLabelText('Describe your experience'), { target: { value: INPUT } });
    fireEvent.click(screen.getByRole('button', { name: 'Generate' }));
    const message = await screen.findByText('This model is not valid or is currently disabled.');
    expect(message.id).toBe('gen-model-error');
    expect(screen.getByLabelText('Model').getAttribute('aria-describedby')).toContain('gen-model-error');
  });
});
