// A change applied at once on screen, sent to the server only when its "Undo" toast times out.
import { useCallback } from 'react';
import { errorText } from '../api/errors';
import { pending } from '../lib/pending';
import { useToasts } from './Toasts';

export interface UndoableChange {
  key: string;
  message: string;
  /** Shows the change (hides the deleted item). */
  apply: () => void;
  /** Takes it back (Undo, or the server refused it). */
  revert: () => void;
  /** Sends it to the server. */
  commit: () => Promise<void>;
  undoneMessage?: string;
  failedMessage?: string;
}

export const UNDO_WINDOW_MS = 6000;

export function useUndoable() {
  const toasts = useToasts();
  return useCallback(
    (change: UndoableChange) => {
      change.apply();
      pending.add(change.key, async () => {
        try {
          await change.commit();
        } catch (err) {
          change.revert();
          toasts.show({
            tone: 'error',
            message: `${change.failedMessage ?? 'That change was not saved.'} ${errorText(err)}`,
          });
        }
      });
      toasts.show({
        message: change.message,
        duration: UNDO_WINDOW_MS,
        action: {
          label: 'Undo',
          onClick: () => {
            if (pending.cancel(change.key)) {
              change.revert();
              toasts.announce(change.undoneMessage ?? 'Restored.');
            }
          },
        },
        onExpire: () => void pending.run(change.key),
      });
    },
    [toasts],
  );
}
