// The answer to the newest request, with at most one request in flight.
// TanStack Query would send one request per key while earlier ones are
// still running (an IPC call cannot be cancelled), and each pods window of
// a big cluster costs Rust a filter and a partial sort: here a request that
// changes while one is in flight waits, and only the newest one is sent
// when it ends. The previous answer stays shown until the next one arrives.
import { useEffect, useRef, useState } from "react";
import type { AppError } from "../../bindings";
import { toAppError } from "../../app/ipc";

export type Newest<T> = {
  data: T | undefined;
  /** The newest request's error (the data is then an older request's). */
  error: AppError | null;
};

type Flight<R, T> = {
  inFlight: boolean;
  /** The request to answer next, by its JSON (null: nothing to ask). */
  wanted: { key: string; request: R } | null;
  answered: string | null;
  fetch: (request: R) => Promise<T>;
  /** Null once the view is gone: answers arriving then are dropped. */
  show: ((next: (previous: Newest<T>) => Newest<T>) => void) | null;
};

/** Sends the wanted request unless one is in flight or it is answered already. */
function pump<R, T>(f: Flight<R, T>) {
  const wanted = f.wanted;
  if (f.inFlight || !wanted || wanted.key === f.answered) return;
  f.inFlight = true;
  const settle = (next: (previous: Newest<T>) => Newest<T>) => {
    f.inFlight = false;
    f.answered = wanted.key;
    if (!f.show) return;
    f.show(next);
    pump(f);
  };
  f.fetch(wanted.request).then(
    (data) => settle(() => ({ data, error: null })),
    (e: unknown) => settle((previous) => ({ data: previous.data, error: toAppError(e) })),
  );
}

export function useNewest<R, T>(request: R | null, fetch: (request: R) => Promise<T>): Newest<T> {
  const [answer, setAnswer] = useState<Newest<T>>({ data: undefined, error: null });
  const flight = useRef<Flight<R, T>>({ inFlight: false, wanted: null, answered: null, fetch, show: null });

  useEffect(() => {
    const f = flight.current;
    f.fetch = fetch;
    f.show = setAnswer;
    return () => {
      f.show = null;
    };
  }, [fetch]);

  const key = request === null ? null : JSON.stringify(request);
  useEffect(() => {
    const f = flight.current;
    f.wanted = key === null ? null : { key, request: JSON.parse(key) as R };
    pump(f);
  }, [key]);

  return answer;
}
