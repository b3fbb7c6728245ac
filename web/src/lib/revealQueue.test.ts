import { describe, expect, it } from 'vitest';
import { createRevealQueue } from './revealQueue';

describe('createRevealQueue', () => {
  function setup() {
    const frames: (() => void)[] = [];
    let shown = '';
    const q = createRevealQueue(
      (t) => (shown += t),
      (fn) => frames.push(fn),
      () => false,
    );
    const runFrame = () => frames.shift()?.();
    return { q, frames, runFrame, shown: () => shown };
  }

  it('shows one piece per frame and resolves drained() at the end', async () => {
    const s = setup();
    ['# Ja', 'ne', '\n'].forEach((p) => s.q.push(p));
    let drained = false;
    void s.q.drained().then(() => (drained = true));
    s.runFrame();
    expect(s.shown()).toBe('# Ja');
    s.runFrame();
    expect(s.shown()).toBe('# Jane');
    s.runFrame();
    await Promise.resolve();
    expect(s.shown()).toBe('# Jane\n');
    expect(drained).toBe(true);
    expect(s.frames).toHaveLength(0);
  });

  it('catches up on a long burst within about a second of frames', () => {
    const s = setup();
    for (let i = 0; i < 300; i++) s.q.push('x');
    let n = 0;
    while (s.frames.length) {
      s.runFrame();
      n++;
    }
    expect(s.shown()).toHaveLength(300);
    expect(n).toBeLessThanOrEqual(70);
    expect(n).toBeGreaterThan(10);
  });

  it('flush shows everything at once', () => {
    const s = setup();
    s.q.push('a');
    s.q.push('b');
    s.q.flush();
    expect(s.shown()).toBe('ab');
  });
});
