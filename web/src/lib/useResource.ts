import { useCallback, useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import type { JsonResult } from '../api/client';

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  offline: boolean;
  reload: () => void;
  setData: Dispatch<SetStateAction<T | undefined>>;
}

/** Loads `load()` when `key` changes (null: load nothing). */
export function useResource<T>(key: string | null, load: () => Promise<JsonResult<T>>): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(key !== null);
  const [offline, setOffline] = useState(false);
  const [nonce, setNonce] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    if (key === null) {
      setLoading(false);
      return;
    }
    let cancelled = false;
    setLoading(true);
    setError(null);
    loadRef
      .current()
      .then((result) => {
        if (cancelled) return;
        setData(result.data);
        setOffline(result.offline);
      })
      .catch((err: unknown) => {
        if (!cancelled) setError(err);
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [key, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data, error, loading, offline, reload, setData };
}
