// The cluster's live view: watchWorkloads starts it in Rust, which then
// sends a LiveState over a Channel (at most every 100 ms, only on change);
// stopWorkloads ends it when the view goes away. The rows stay in Rust:
// this is only the state of the two watches and their versions.
import { Channel } from "@tauri-apps/api/core";
import { useEffect, useState } from "react";
import { commands, type AppError, type LiveState } from "../../bindings";
import { toAppError, unwrap } from "../../app/ipc";

// Rust runs commands concurrently, so a stop sent on unmount could land
// after the watch of the view mounted next for the same connection (React's
// StrictMode mounts twice; Back then Open does the same) and end it. Each
// connection's start/stop calls therefore go one after the other.
const lastCall = new Map<string, Promise<unknown>>();

function inOrder<T>(connection: string, call: () => Promise<T>): Promise<T> {
  const previous = lastCall.get(connection) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(call);
  lastCall.set(connection, next);
  void next
    .catch(() => undefined)
    .finally(() => {
      if (lastCall.get(connection) === next) lastCall.delete(connection);
    });
  return next;
}

export type Live = {
  /** The latest state Rust sent; null until the first one arrives. */
  state: LiveState | null;
  /** The live view could not start (the connection is not open…). */
  error: AppError | null;
  /** Rust holds the stores: the window, overview and card queries may be sent. */
  started: boolean;
};

export function useLiveState(connection: string): Live {
  const [live, setLive] = useState<Live>({ state: null, error: null, started: false });
  useEffect(() => {
    let listening = true;
    const channel = new Channel<LiveState>();
    channel.onmessage = (state) => {
      if (listening) setLive({ state, error: null, started: true });
    };
    inOrder(connection, () => unwrap(commands.watchWorkloads(connection, channel))).then(
      () => {
        if (listening) setLive((l) => (l.started ? l : { ...l, started: true }));
      },
      (e: unknown) => {
        if (listening) setLive({ state: null, error: toAppError(e), started: false });
      },
    );
    return () => {
      listening = false;
      channel.onmessage = () => {};
      // A failed stop has nowhere to be shown: the view is gone.
      void inOrder(connection, () => unwrap(commands.stopWorkloads(connection))).catch(() => undefined);
    };
  }, [connection]);
  return live;
}
