import { describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { AppError } from "../../bindings";
import { ErrorPanel } from "./ErrorPanel";

const SSO: AppError = {
  code: "sso_expired",
  message:
    'The SSO session of profile "dev" has expired or was never started. Run `aws sso login --profile dev` and refresh.',
};

describe("ErrorPanel", () => {
  it("shows a title that fits the code and the message", () => {
    render(<ErrorPanel error={{ code: "access_denied", message: "not allowed: eks:ListClusters" }} />);
    const alert = screen.getByRole("alert");
    expect(within(alert).getByText("Access denied")).toBeInTheDocument();
    expect(within(alert).getByText("not allowed: eks:ListClusters")).toBeInTheDocument();
    expect(within(alert).queryByRole("button")).not.toBeInTheDocument();
  });

  it("offers to copy the SSO login command for an expired SSO session", async () => {
    const user = userEvent.setup();
    render(<ErrorPanel error={SSO} />);
    const alert = screen.getByRole("alert");
    expect(within(alert).getByText("SSO session expired")).toBeInTheDocument();
    const copy = within(alert).getByRole("button", { name: "Copy aws sso login --profile dev" });
    expect(within(copy).getByText("aws sso login --profile dev")).toBeInTheDocument();
    await user.click(copy);
    await expect(navigator.clipboard.readText()).resolves.toBe("aws sso login --profile dev");
  });

  it("copies the command for the profile the message names", async () => {
    const user = userEvent.setup();
    render(
      <ErrorPanel error={{ code: "sso_expired", message: "Run `aws sso login --profile prod-admin` and refresh." }} />,
    );
    await user.click(screen.getByRole("button", { name: /^Copy/ }));
    await expect(navigator.clipboard.readText()).resolves.toBe("aws sso login --profile prod-admin");
  });

  it("offers no copy button when the message names no profile", () => {
    render(<ErrorPanel error={{ code: "sso_expired", message: "Your SSO session expired." }} />);
    expect(screen.queryByRole("button", { name: /copy/i })).not.toBeInTheDocument();
  });

  it("offers no copy button for other codes, even with a login command in the message", () => {
    render(<ErrorPanel error={{ ...SSO, code: "invalid_credentials" }} />);
    expect(screen.getByText("Credentials rejected")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /copy/i })).not.toBeInTheDocument();
  });

  it.each(["no_credentials", "profile_not_found"] as const)(
    "offers the local emulator for %s",
    async (code) => {
      const onUseEmulator = vi.fn();
      render(<ErrorPanel error={{ code, message: "m" }} onUseEmulator={onUseEmulator} />);
      await userEvent.setup().click(screen.getByRole("button", { name: "Use the local emulator" }));
      expect(onUseEmulator).toHaveBeenCalledTimes(1);
    },
  );

  it("does not offer the emulator for errors it would not avoid", () => {
    render(<ErrorPanel error={SSO} onUseEmulator={vi.fn()} />);
    expect(screen.queryByRole("button", { name: "Use the local emulator" })).not.toBeInTheDocument();
  });

  it("does not offer the emulator without a handler", () => {
    render(<ErrorPanel error={{ code: "no_credentials", message: "m" }} />);
    expect(screen.queryByRole("button", { name: "Use the local emulator" })).not.toBeInTheDocument();
  });

  it("calls onRetry from the Retry button", async () => {
    const onRetry = vi.fn();
    render(<ErrorPanel error={{ code: "throttled", message: "slow down" }} onRetry={onRetry} />);
    expect(screen.getByText("Throttled by AWS")).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole("button", { name: "Retry" }));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });
});
