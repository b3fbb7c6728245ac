// Actions delayed behind an "Undo" toast (deletes). They run when their toast times out, all at
// once before logging out, and with keepalive requests when the page is closed.

type Action = () => Promise<void>;

export class PendingActions {
  private actions = new Map<string, Action>();

  add(key: string, action: Action) {
    this.actions.set(key, action);
  }

  has(key: string): boolean {
    return this.actions.has(key);
  }

  /** Drops the action without running it: true if it had not run yet. */
  cancel(key: string): boolean {
    return this.actions.delete(key);
  }

  /** Runs the action now (once). */
  async run(key: string): Promise<void> {
    const action = this.actions.get(key);
    if (!action) return;
    this.actions.delete(key);
    await action();
  }

  /** Drops every action without running it (the account they belonged to is gone). */
  discardAll() {
    this.actions.clear();
  }

  async runAll(): Promise<void> {
    const keys = [...this.actions.keys()];
    await Promise.allSettled(keys.map((k) => this.run(k)));
  }
}

export const pending = new PendingActions();

if (typeof window !== 'undefined') {
  window.addEventListener('pagehide', () => {
    void pending.runAll();
  });
}
