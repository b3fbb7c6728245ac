import { describe, expect, it } from 'vitest';
import { SSEParser, readEvents, type SSEEvent } from './sse';
import { StreamError, streamGeneration } from './generate';
import { ApiError } from './errors';
import type { ApiClient } from './client';

const STREAM =
  'data: {"delta": "# Jane"}\n\n' +
  ': a comment\n' +
  'data: {"delta": " Doe\\n"}\n\n' +
  'data: {"delta": "Café ✓ 🚀"}\n\n' +
  'event: done\ndata: {"resume_id": 42, "model": "ResuMate Offline"}\n\n';

function parseAll(chunks: string[]): SSEEvent[] {
  const parser = new SSEParser();
  const events = chunks.flatMap((c) => parser.feed(c));
  return [...events, ...parser.end()];
}

function bytesStream(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<SSEEvent[]> {
  const out: SSEEvent[] = [];
  for await (const e of readEvents(stream)) out.push(e);
  return out;
}

const EXPECTED: SSEEvent[] = [
  { event: 'message', data: '{"delta": "# Jane"}' },
  { event: 'message', data: '{"delta": " Doe\\n"}' },
  { event: 'message', data: '{"delta": "Café ✓ 🚀"}' },
  { event: 'done', data: '{"resume_id": 42, "model": "ResuMate Offline"}' },
];

describe('SSEParser', () => {
  it('parses a whole stream', () => {
    expect(parseAll([STREAM])).toEqual(EXPECTED);
  });

  it('gives the same events however the text is split in two', () => {
    for (let i = 0; i <= STREAM.length; i++) {
      expect(parseAll([STREAM.slice(0, i), STREAM.slice(i)])).toEqual(EXPECTED);
    }
  });

  it('gives the same events when fed one character at a time', () => {
    expect(parseAll([...STREAM])).toEqual(EXPECTED);
  });

  it('accepts CRLF and CR line endings, even with CRLF split across chunks', () => {
    const crlf = STREAM.replace(/\n/g, '\r\n');
    for (let i = 0; i <= crlf.length; i++) {
      expect(parseAll([crlf.slice(0, i), crlf.slice(i)])).toEqual(EXPECTED);
    }
    expect(parseAll([STREAM.replace(/\n/g, '\r')])).toEqual(EXPECTED);
  });

  it('joins multi-line data and drops an event the stream never finished', () => {
    expect(parseAll(['data: one\ndata: two\n\n', 'data: cut off'])).toEqual([{ event: 'message', data: 'one\ntwo' }]);
  });

  it('resets the event type after each event and ignores a BOM, unknown fields and empty events', () => {
    const events = parseAll(['\ufeffevent: error\ndata: {"error": "x"}\n\nretry: 100\nfoo: bar\n\nevent: x\n\ndata:plain\n\n']);
    expect(events).toEqual([
      { event: 'error', data: '{"error": "x"}' },
      { event: 'message', data: 'plain' },
    ]);
  });
});

describe('readEvents', () => {
  it('decodes UTF-8 split anywhere between byte chunks', async () => {
    const bytes = new TextEncoder().encode(STREAM);
    for (let i = 0; i <= bytes.length; i += 1) {
      const events = await collect(bytesStream([bytes.slice(0, i), bytes.slice(i)]));
      expect(events).toEqual(EXPECTED);
    }
  });

  it('reads a stream delivered one byte at a time', async () => {
    const bytes = new TextEncoder().encode(STREAM);
    const chunks = [...bytes].map((b) => new Uint8Array([b]));
    expect(await collect(bytesStream(chunks))).toEqual(EXPECTED);
  });
});

function clientAnswering(response: Response): ApiClient {
  return {
    request: async () => response,
  } as unknown as ApiClient;
}

function sseResponse(text: string): Response {
  return new Response(bytesStream([new TextEncoder().encode(text)]), {
    status: 200,
    headers: { 'Content-Type': 'text/event-stream' },
  });
}

describe('streamGeneration', () => {
  const request = { model: 'Auto', user_input: 'x'.repeat(60) };

  it('passes each delta on and resolves with the saved resume', async () => {
    const deltas: string[] = [];
    const done = await streamGeneration(request, {
      onDelta: (t) => deltas.push(t),
      client: clientAnswering(sseResponse(STREAM)),
    });
    expect(deltas).toEqual(['# Jane', ' Doe\n', 'Café ✓ 🚀']);
    expect(done).toEqual({ resumeId: 42, model: 'ResuMate Offline' });
  });

  it('rejects with the error event text', async () => {
    const text = 'data: {"delta": "# Ja"}\n\nevent: error\ndata: {"error": "An error occurred while communicating with the AI service."}\n\n';
    const deltas: string[] = [];
    await expect(
      streamGeneration(request, { onDelta: (t) => deltas.push(t), client: clientAnswering(sseResponse(text)) }),
    ).rejects.toEqual(new StreamError('An error occurred while communicating with the AI service.'));
    expect(deltas).toEqual(['# Ja']);
  });

  it('rejects when the stream ends before done', async () => {
    await expect(
      streamGeneration(request, { onDelta: () => undefined, client: clientAnswering(sseResponse('data: {"delta": "a"}\n\n')) }),
    ).rejects.toBeInstanceOf(StreamError);
  });

  it('rejects with the API error when validation fails before streaming', async () => {
    const res = new Response(JSON.stringify({ user_input: ['Ensure this field has at least 50 characters.'] }), {
      status: 400,
      headers: { 'Content-Type': 'application/json' },
    });
    const err = await streamGeneration(request, { onDelta: () => undefined, client: clientAnswering(res) }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
    expect((err as ApiError).body).toEqual({ user_input: ['Ensure this field has at least 50 characters.'] });
  });

  it('stops reading when cancelled', async () => {
    const abort = new AbortController();
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('data: {"delta": "first"}\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    const deltas: string[] = [];
    const running = streamGeneration(request, {
      signal: abort.signal,
      onDelta: (t) => {
        deltas.push(t);
        // The caller breaks off after the first piece, as the Cancel button does.
        throw new DOMException('The operation was aborted.', 'AbortError');
      },
      client: clientAnswering(new Response(body, { status: 200 })),
    });
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    expect(deltas).toEqual(['first']);
    expect(cancelled).toBe(true);
  });
});
