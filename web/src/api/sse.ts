// A parser for text/event-stream (the WHATWG "server-sent events" format) fed arbitrary chunks.

export interface SSEEvent {
  /** The event's type: "message" unless an `event:` field named one. */
  event: string;
  /** The `data:` lines, joined with "\n". */
  data: string;
  id?: string;
}

export class SSEParser {
  private buffer = '';
  private dataLines: string[] = [];
  private eventType = '';
  private lastId: string | undefined;
  private started = false;

  /** Feeds decoded text; returns the events completed by it. */
  feed(text: string): SSEEvent[] {
    if (!this.started && text.length) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.buffer += text;
    const events: SSEEvent[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      // A CR at the very end may be the first half of CRLF: wait for the next chunk.
      if (c === '\r' && i === this.buffer.length - 1) break;
      const line = this.buffer.slice(start, i);
      if (c === '\r' && this.buffer[i + 1] === '\n') i++;
      start = i + 1;
      const event = this.line(line);
      if (event) events.push(event);
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  /** The stream ended: a trailing CR ends its line; an event not closed by a blank line is dropped. */
  end(): SSEEvent[] {
    const events: SSEEvent[] = [];
    if (this.buffer.endsWith('\r')) {
      const event = this.line(this.buffer.slice(0, -1));
      if (event) events.push(event);
    }
    this.buffer = '';
    this.dataLines = [];
    this.eventType = '';
    return events;
  }

  private line(line: string): SSEEvent | null {
    if (line === '') {
      if (!this.dataLines.length) {
        this.eventType = '';
        return null;
      }
      const event: SSEEvent = {
        event: this.eventType || 'message',
        data: this.dataLines.join('\n'),
      };
      if (this.lastId !== undefined) event.id = this.lastId;
      this.dataLines = [];
      this.eventType = '';
      return event;
    }
    if (line.startsWith(':')) return null; // a comment
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.dataLines.push(value);
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastId = value;
        break;
      default:
        break; // "retry" and unknown fields: ignored
    }
    return null;
  }
}

/** Reads a byte stream as server-sent events (UTF-8 split across chunks is handled). */
export async function* readEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<SSEEvent, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  const parser = new SSEParser();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        break;
      }
      yield* parser.feed(decoder.decode(value, { stream: true }));
    }
    yield* parser.feed(decoder.decode());
    yield* parser.end();
  } finally {
    // Stopped early (the caller broke off, or a read failed): let the server know.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
