import { beforeEach, describe, expect, it, vi } from "vitest";
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { commands, type Environment } from "../../bindings";
import { err, kubeconfigOutcome, ok, renderWithClient } from "../../test/fixtures";
import { AddToKubeconfigDialog } from "./AddToKubeconfigDialog";

vi.mock("../../bindings", () => ({
  commands: { addToKubeconfig: vi.fn() },
}));

const addToKubeconfig = vi.mocked(commands.addToKubeconfig);

const PROFILE: Environment = { kind: "profile", profile: "dev", region: "eu-west-1" };

function renderDialog() {
  const onClose = vi.fn();
  const utils = renderWithClient(<AddToKubeconfigDialog environment={PROFILE} cluster="demo" onClose={onClose} />);
  return { ...utils, onClose };
}

beforeEach(() => {
  addToKubeconfig.mockReset();
});

describe("AddToKubeconfigDialog", () => {
  it("sends no alias, the AWS CLI and no current context by default, and shows what was written", async () => {
    addToKubeconfig.mockResolvedValue(ok(kubeconfigOutcome({ change: "created", backup: null })));
    const { client } = renderDialog();
    const invalidate = vi.spyOn(client, "invalidateQueries");
    const dialog = screen.getByRole("dialog", { name: "Add demo to kubeconfig" });
    const alias = within(dialog).getByRole("textbox", { name: /alias/i });
    expect(alias).toHaveAttribute("placeholder", "cluster ARN");
    expect(alias).toHaveFocus();
    expect(within(dialog).getByRole("radio", { name: "AWS CLI (aws eks get-token)" })).toBeChecked();
    expect(within(dialog).getByRole("checkbox", { name: "Make it the current context" })).not.toBeChecked();

    await userEvent.setup().click(within(dialog).getByRole("button", { name: "Save" }));
    expect(addToKubeconfig).toHaveBeenCalledExactlyOnceWith(PROFILE, {
      cluster: "demo",
      alias: null,
      useEksDesk: false,
      setCurrent: false,
    });
    const outcome = await screen.findByTestId("kubeconfig-outcome");
    expect(within(outcome).getByTestId("outcome-file")).toHaveTextContent("/home/me/.kube/config");
    expect(within(outcome).getByTestId("outcome-change")).toHaveTextContent("created");
    expect(within(outcome).queryByTestId("outcome-backup")).not.toBeInTheDocument();
    expect(within(outcome).getByTestId("outcome-context")).toHaveTextContent(
      "arn:aws:eks:eu-west-1:111122223333:cluster/demo",
    );
    expect(within(outcome).getByTestId("outcome-current")).toHaveTextContent("no");
    expect(within(outcome).queryByTestId("outcome-comments-lost")).not.toBeInTheDocument();
    // The contexts list reads the kubeconfig again.
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ["kube-contexts"] });
  });

  it("sends the alias, EKS Desk's token and the current-context choice, and shows the backup and lost comments", async () => {
    addToKubeconfig.mockResolvedValue(
      ok(
        kubeconfigOutcome({
          change: "updated",
          backup: "/home/me/.kube/config.bak",
          context: "prod",
          isCurrent: true,
          commentsLost: true,
        }),
      ),
    );
    const { onClose } = renderDialog();
    const user = userEvent.setup();
    const dialog = screen.getByRole("dialog");
    await user.type(within(dialog).getByRole("textbox", { name: /alias/i }), "prod");
    await user.click(within(dialog).getByRole("radio", { name: "EKS Desk (eks-desk token, no AWS CLI needed)" }));
    await user.click(within(dialog).getByRole("checkbox", { name: "Make it the current context" }));
    await user.click(within(dialog).getByRole("button", { name: "Save" }));
    expect(addToKubeconfig).toHaveBeenCalledExactlyOnceWith(PROFILE, {
      cluster: "demo",
      alias: "prod",
      useEksDesk: true,
      setCurrent: true,
    });
    const outcome = await screen.findByTestId("kubeconfig-outcome");
    expect(within(outcome).getByTestId("outcome-change")).toHaveTextContent("updated");
    expect(within(outcome).getByTestId("outcome-backup")).toHaveTextContent("/home/me/.kube/config.bak");
    expect(within(outcome).getByTestId("outcome-context")).toHaveTextContent(/^prod$/);
    expect(within(outcome).getByTestId("outcome-current")).toHaveTextContent("yes");
    expect(within(outcome).getByTestId("outcome-comments-lost")).toHaveTextContent(
      "could not keep. The backup /home/me/.kube/config.bak still has them.",
    );
    const done = screen.getByRole("button", { name: "Done" });
    expect(done).toHaveFocus();
    await user.click(done);
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it("says when nothing had to change", async () => {
    addToKubeconfig.mockResolvedValue(ok(kubeconfigOutcome({ change: "unchanged", backup: null })));
    renderDialog();
    await userEvent.setup().click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByTestId("outcome-change")).toHaveTextContent("unchanged: it already had these entries");
  });

  it("shows a field error next to its field, and the dialog stays open to fix it", async () => {
    addToKubeconfig.mockResolvedValue({
      status: "error",
      error: { code: "invalid_input", message: "alias: empty", field: "alias" },
    });
    renderDialog();
    const user = userEvent.setup();
    const alias = screen.getByRole("textbox", { name: /alias/i });
    await user.type(alias, "   ");
    await user.click(screen.getByRole("button", { name: "Save" }));
    // Only exactly empty means "no alias": Rust judges a blank one.
    expect(addToKubeconfig).toHaveBeenCalledWith(PROFILE, expect.objectContaining({ alias: "   " }));
    const message = await screen.findByText("alias: empty");
    expect(alias).toHaveAttribute("aria-invalid", "true");
    expect(alias).toHaveAccessibleDescription("alias: empty");
    expect(alias.closest(".field")).toContainElement(message);
    expect(screen.queryByText("Invalid value")).not.toBeInTheDocument();
    expect(screen.queryByTestId("kubeconfig-outcome")).not.toBeInTheDocument();
  });

  it("shows an error of no field in an error panel", async () => {
    addToKubeconfig.mockResolvedValue(err("config_file", "could not write /home/me/.kube/config: read-only file system"));
    renderDialog();
    await userEvent.setup().click(screen.getByRole("button", { name: "Save" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Configuration file problem");
    expect(alert).toHaveTextContent("read-only file system");
    expect(screen.getByRole("textbox", { name: /alias/i })).not.toHaveAttribute("aria-invalid");
  });
});
