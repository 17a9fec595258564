// A tiny client-side store for state that outlives a page (runs going on,
// the Create draft and its plan): a value, its subscribers, and a hook
// that re-renders on change. Server data stays in TanStack Query; this is
// only what the window itself holds.
import { useSyncExternalStore } from "react";

export type Store<T> = {
  get: () => T;
  set: (change: (value: T) => T) => void;
  subscribe: (listener: () => void) => () => void;
};

const resets: (() => void)[] = [];

export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  const store: Store<T> = {
    get: () => value,
    set: (change) => {
      const next = change(value);
      if (next === value) return;
      value = next;
      listeners.forEach((l) => l());
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  resets.push(() => store.set(() => initial));
  return store;
}

export function useStore<T>(store: Store<T>): T {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}

/** Every store back to its first value (between tests). */
export function resetStores() {
  resets.forEach((reset) => reset());
}
