import { useCallback } from "react";
import type { AppError, LiveState } from "../../bindings";
import { unwrap } from "../../app/ipc";
import { useNewest, type Newest } from "./useNewest";
import { useThrottled } from "./useThrottled";

/** A counts view asks again at most this often while the cluster changes. */
const COUNTS_EVERY_MS = 500;

type Result<T> = Promise<{ status: "ok"; data: T } | { status: "error"; error: AppError }>;

/**
 * A view computed by Rust from both stores (the overview, the node cards),
 * asked for again when either store's version moves, at most every 500 ms.
 */
export function useLiveQuery<T>(
  started: boolean,
  state: LiveState | null,
  command: () => Result<T>,
): Newest<T> {
  const versions = useThrottled(`${state?.pods.version ?? 0}:${state?.nodes.version ?? 0}`, COUNTS_EVERY_MS);
  const fetch = useCallback(() => unwrap(command()), [command]);
  return useNewest(started ? versions : null, fetch);
}
