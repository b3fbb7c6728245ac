// POST /api/ai/generate/stream/: the resume arrives as server-sent events.
import { api, type ApiClient } from './client';
import { errorFromResponse } from './errors';
import { readEvents } from './sse';
import type { GenerateRequest } from './types';

export interface GenerationDone {
  resumeId: number;
  model: string | null;
}

/** The stream ended with `event: error`, or before `event: done`. */
export class StreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamError';
  }
}

export interface StreamOptions {
  signal?: AbortSignal;
  onDelta: (text: string) => void;
  client?: ApiClient;
}

function parseData(data: string): Record<string, unknown> {
  try {
    const value = JSON.parse(data) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Streams a generation. Resolves when the resume is saved; rejects with ApiError when the
 * request is refused before streaming (validation, daily limit, provider unavailable), with
 * StreamError when it fails mid-stream, and with an AbortError when `signal` cancels it.
 */
export async function streamGeneration(
  request: GenerateRequest,
  { signal, onDelta, client = api }: StreamOptions,
): Promise<GenerationDone> {
  const res = await client.request('POST', '/api/ai/generate/stream/', {
    body: request,
    signal,
    // Both: the server negotiates (JSON answers errors before the stream starts).
    headers: { Accept: 'text/event-stream, application/json' },
  });
  if (!res.ok) throw await errorFromResponse(res);
  if (!res.body) throw new StreamError('The server sent no text.');
  for await (const event of readEvents(res.body)) {
    const data = parseData(event.data);
    if (event.event === 'done') {
      return {
        resumeId: Number(data.resume_id),
        model: typeof data.model === 'string' ? data.model : null,
      };
    }
    if (event.event === 'error') {
      throw new StreamError(
        typeof data.error === 'string' ? data.error : 'The generation failed. Please try again.',
      );
    }
    if (typeof data.delta === 'string') onDelta(data.delta);
  }
  throw new StreamError('The connection closed before the resume was finished. Please try again.');
}
