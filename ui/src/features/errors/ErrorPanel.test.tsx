import { describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ReactElement } from "react";
import type { AppError, Environment } from "../../bindings";
import { choices } from "../../test/fixtures";
import { EnvironmentProvider } from "../environment/EnvironmentContext";
import { ErrorPanel } from "./ErrorPanel";

/** The panel inside a window working with `profile`. */
function inProfile(profile: string, ui: ReactElement) {
  const environment: Environment = { kind: "profile", profile, region: "eu-west-1" };
  const profiles = [
    ...choices().profiles,
    { name: "deploy", region: null, kind: "assume_role" as const, ssoStartUrl: null, loginCommand: "aws sso login --profile dev" },
  ];
  return render(<EnvironmentProvider value={{ environment, choices: { ...choices(), profiles } }}>{ui}</EnvironmentProvider>);
}

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
    inProfile("dev", <ErrorPanel error={SSO} />);
    const alert = screen.getByRole("alert");
    expect(within(alert).getByText("SSO session expired")).toBeInTheDocument();
    const copy = within(alert).getByRole("button", { name: "Copy aws sso login --profile dev" });
    expect(within(copy).getByText("aws sso login --profile dev")).toBeInTheDocument();
    await user.click(copy);
    await expect(navigator.clipboard.readText()).resolves.toBe("aws sso login --profile dev");
  });

  it("copies the command Rust derived for the profile, not one read from the message", async () => {
    const user = userEvent.setup();
    // A role assumed from the SSO profile logs in through it.
    inProfile("deploy", <ErrorPanel error={{ code: "sso_expired", message: "Run `aws sso login --profile prod-admin`." }} />);
    await user.click(screen.getByRole("button", { name: /^Copy/ }));
    await expect(navigator.clipboard.readText()).resolves.toBe("aws sso login --profile dev");
  });

  it("offers no copy button when the profile has no SSO login", () => {
    inProfile("ops", <ErrorPanel error={{ code: "sso_expired", message: "Your SSO session expired." }} />);
    expect(screen.queryByRole("button", { name: /copy/i })).not.toBeInTheDocument();
  });

  it("offers no copy button for other codes, even with a login command in the message", () => {
    inProfile("dev", <ErrorPanel error={{ ...SSO, code: "invalid_credentials" }} />);
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

  it("offers the cluster's access page for a missing access entry", async () => {
    const onOpenAccess = vi.fn();
    const message = "Your IAM identity arn:aws:iam::111122223333:role/dev has no access entry on cluster demo.";
    render(<ErrorPanel error={{ code: "no_access_entry", message }} onOpenAccess={onOpenAccess} />);
    expect(screen.getByText("No access entry on this cluster")).toBeInTheDocument();
    expect(screen.getByText(message)).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole("button", { name: "Open the cluster's access page" }));
    expect(onOpenAccess).toHaveBeenCalledTimes(1);
  });

  it("offers the access page only for a missing access entry", () => {
    render(<ErrorPanel error={{ code: "unauthorized", message: "401" }} onOpenAccess={vi.fn()} />);
    expect(screen.queryByRole("button", { name: "Open the cluster's access page" })).not.toBeInTheDocument();
  });
});
