// Shows streamed text piece by piece, one animation frame per piece (several per frame when
// far behind), so a burst of pieces (a fast model) still reads as text being written.

export interface RevealQueue {
  push(piece: string): void;
  /** Resolves once every piece pushed so far is shown. */
  drained(): Promise<void>;
  /** Shows everything now. */
  flush(): void;
  stop(): void;
}

export function createRevealQueue(
  append: (text: string) => void,
  schedule: (fn: () => void) => unknown = (fn) => requestAnimationFrame(fn),
  isHidden: () => boolean = () => typeof document !== 'undefined' && document.hidden,
): RevealQueue {
  const queue: string[] = [];
  let scheduled = false;
  let stopped = false;
  let waiters: (() => void)[] = [];

  function settle() {
    if (queue.length) return;
    const w = waiters;
    waiters = [];
    w.forEach((f) => f());
  }

  function frame() {
    scheduled = false;
    if (stopped) return;
    // Far behind (a burst): take a tenth of the queue per frame, so it catches up in about a second.
    const take = isHidden() ? queue.length : Math.max(1, Math.ceil(queue.length / 10));
    const text = queue.splice(0, take).join('');
    if (text) append(text);
    if (queue.length) tick();
    else settle();
  }

  function tick() {
    if (scheduled || stopped) return;
    scheduled = true;
    schedule(frame);
  }

  return {
    push(piece) {
      if (stopped || !piece) return;
      queue.push(piece);
      tick();
    },
    drained() {
      if (!queue.length) return Promise.resolve();
      return new Promise((resolve) => {
        waiters.push(resolve);
        if (isHidden()) frame();
      });
    },
    flush() {
      const text = queue.splice(0).join('');
      if (text) append(text);
      settle();
    },
    stop() {
      stopped = true;
      queue.length = 0;
      settle();
    },
  };
}
