// Turns tauri-specta's `{status, data | error}` results into values or thrown
// `IpcError`s, which is what TanStack Query expects.
import type { AppError } from "../bindings";

type CommandResult<T> = { status: "ok"; data: T } | { status: "error"; error: AppError };

export class IpcError extends Error {
  readonly appError: AppError;
  constructor(appError: AppError) {
    super(appError.message);
    this.name = "IpcError";
    this.appError = appError;
  }
}

export async function unwrap<T>(result: Promise<CommandResult<T>>): Promise<T> {
  const r = await result;
  if (r.status === "error") throw new IpcError(r.error);
  return r.data;
}

/** The AppError behind any thrown value (a bare Error is the app's own failure). */
export function toAppError(e: unknown): AppError {
  if (e instanceof IpcError) return e.appError;
  return { code: "internal", message: e instanceof Error ? e.message : String(e) };
}
