import { beforeEach, describe, expect, it, vi } from "vitest";
import { screen } from "@testing-library/react";
import { commands, type Environment } from "../../bindings";
import { err, ok, renderWithClient } from "../../test/fixtures";
import { CallerIdentityBadge } from "./CallerIdentityBadge";

vi.mock("../../bindings", () => ({
  commands: { callerIdentity: vi.fn() },
}));

const callerIdentity = vi.mocked(commands.callerIdentity);
const ENV: Environment = { kind: "profile", profile: "dev", region: "eu-west-1" };

beforeEach(() => {
  callerIdentity.mockReset();
});

describe("CallerIdentityBadge", () => {
  it("says it is signing in while the identity is on its way", () => {
    callerIdentity.mockReturnValue(new Promise(() => {}));
    renderWithClient(<CallerIdentityBadge environment={ENV} />);
    expect(screen.getByText("Signing in…")).toBeInTheDocument();
    expect(callerIdentity).toHaveBeenCalledWith(ENV);
  });

  it("shows the account and ARN, without a root warning for an IAM identity", async () => {
    callerIdentity.mockResolvedValue(
      ok({
        account: "111122223333",
        arn: "arn:aws:sts::111122223333:assumed-role/Admin/alice",
        userId: "AROAEXAMPLE:alice",
        isRoot: false,
      }),
    );
    renderWithClient(<CallerIdentityBadge environment={ENV} />);
    const badge = await screen.findByTestId("caller-identity");
    expect(badge).toHaveTextContent("Account 111122223333");
    expect(badge).toHaveTextContent("arn:aws:sts::111122223333:assumed-role/Admin/alice");
    expect(badge).not.toHaveTextContent(/root/i);
    expect(badge).not.toHaveTextContent("Not signed in");
  });

  it("warns when signed in as the account root", async () => {
    callerIdentity.mockResolvedValue(
      ok({ account: "111122223333", arn: "arn:aws:iam::111122223333:root", userId: "111122223333", isRoot: true }),
    );
    renderWithClient(<CallerIdentityBadge environment={ENV} />);
    const badge = await screen.findByTestId("caller-identity");
    expect(badge).toHaveTextContent("arn:aws:iam::111122223333:root");
    expect(screen.getByText("root — use an IAM identity")).toBeInTheDocument();
  });

  it("says not signed in, with the error code, on error", async () => {
    callerIdentity.mockResolvedValue(err("sso_expired", "Run `aws sso login --profile dev` and refresh."));
    renderWithClient(<CallerIdentityBadge environment={ENV} />);
    const badge = await screen.findByTestId("caller-identity");
    expect(badge).toHaveTextContent("Not signed in (sso expired)");
    expect(badge).toHaveAttribute("title", "Run `aws sso login --profile dev` and refresh.");
    expect(badge).not.toHaveTextContent("Account");
  });
});
