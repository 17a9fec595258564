import { useEffect, useRef, useState } from "react";

/**
 * `value`, changed at most once every `ms` milliseconds: the first change
 * shows at once, later ones at the end of the period (so the last one is
 * never lost). Versions of a busy cluster change every 100 ms; the views
 * that ask Rust again on a new version ask at this pace instead.
 */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const shownAt = useRef(0);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = Math.max(0, shownAt.current + ms - Date.now());
    const timer = setTimeout(() => {
      shownAt.current = Date.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(timer);
  }, [value, shown, ms]);
  return shown;
}
