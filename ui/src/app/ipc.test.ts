import { describe, expect, it } from "vitest";
import type { AppError } from "../bindings";
import { IpcError, toAppError, unwrap } from "./ipc";

const DENIED: AppError = { code: "access_denied", message: "no eks:ListClusters" };

describe("unwrap", () => {
  it("returns the data of an ok result", async () => {
    await expect(unwrap(Promise.resolve({ status: "ok", data: [1, 2] }))).resolves.toEqual([1, 2]);
  });

  it("throws an IpcError carrying the AppError of an error result", async () => {
    const thrown = await unwrap(Promise.resolve({ status: "error", error: DENIED })).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(IpcError);
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as IpcError).appError).toEqual(DENIED);
    expect((thrown as IpcError).message).toBe("no eks:ListClusters");
  });

  it("passes a rejected command through", async () => {
    await expect(unwrap(Promise.reject(new Error("bridge down")))).rejects.toThrow("bridge down");
  });
});

describe("toAppError", () => {
  it("returns the AppError of an IpcError", () => {
    expect(toAppError(new IpcError(DENIED))).toBe(DENIED);
  });

  it("turns a bare Error or any other value into an internal error", () => {
    expect(toAppError(new Error("boom"))).toEqual({ code: "internal", message: "boom" });
    expect(toAppError("plain string")).toEqual({ code: "internal", message: "plain string" });
  });
});
