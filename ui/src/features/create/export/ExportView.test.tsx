import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ok } from "../../../test/fixtures";
import { seedSpec } from "../../../test/specFixtures";
import { mocked, renderCreatePage, resetCreateMocks } from "../createTestSetup";

vi.mock("../../../bindings", async () => (await import("../createCommandsMock")).mockCreateCommands());

const TERRAFORM = 'resource "aws_eks_cluster" "this" {\n  name = "<b>my-eks</b>"\n}\n';

beforeEach(() => {
  resetCreateMocks();
  mocked.exportClusterSpec.mockImplementation(async (_spec, format) =>
    ok(format === "terraform" ? TERRAFORM : `# ${format} of my-eks\n`),
  );
});
afterEach(() => vi.unstubAllGlobals());

async function openExport() {
  const user = userEvent.setup();
  const utils = await renderCreatePage();
  await user.click(screen.getByTestId("export-button"));
  return { user, ...utils };
}

describe("Export view", () => {
  it("shows the Terraform text as text, then the other formats", async () => {
    const { user, container } = await openExport();
    const text = await screen.findByTestId("export-text");
    expect(text.tagName).toBe("PRE");
    expect(text.textContent).toBe(TERRAFORM);
    expect(container.querySelector("pre b")).toBeNull();
    expect(mocked.exportClusterSpec).toHaveBeenCalledWith(seedSpec(), "terraform");

    await user.click(screen.getByRole("tab", { name: "eksctl" }));
    await waitFor(() => expect(screen.getByTestId("export-text")).toHaveTextContent("# eksctl of my-eks"));
    await user.click(screen.getByRole("tab", { name: "Spec YAML" }));
    await waitFor(() => expect(screen.getByTestId("export-text")).toHaveTextContent("# yaml of my-eks"));
    expect(screen.getByRole("tab", { name: "Spec YAML" })).toHaveAttribute("aria-selected", "true");
  });

  it("copies the text and says so", async () => {
    const { user } = await openExport();
    // userEvent.setup() installs its own clipboard; replace it with a spy.
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    await screen.findByTestId("export-text");
    await user.click(screen.getByTestId("export-copy"));
    expect(writeText).toHaveBeenCalledWith(TERRAFORM);
    expect(await screen.findByText("Copied.")).toBeInTheDocument();
  });

  it("says when copying is not possible", async () => {
    const { user } = await openExport();
    const writeText = vi.fn().mockRejectedValue(new Error("denied"));
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    await screen.findByTestId("export-text");
    await user.click(screen.getByTestId("export-copy"));
    expect(await screen.findByText("Could not copy: select the text and copy it by hand.")).toBeInTheDocument();
  });

  it("saves the export of the chosen format and shows the path", async () => {
    mocked.saveClusterExport.mockResolvedValue(ok({ name: "my-eks.tf", path: "/specs/my-eks.tf" }));
    mocked.saveClusterSpec.mockResolvedValue(ok({ name: "my-eks", path: "/specs/my-eks.yaml" }));
    const { user } = await openExport();
    await user.click(screen.getByTestId("export-save"));
    expect(await screen.findByTestId("export-saved")).toHaveTextContent("Saved to /specs/my-eks.tf");
    expect(mocked.saveClusterExport).toHaveBeenCalledWith(seedSpec(), "terraform");

    await user.click(screen.getByRole("tab", { name: "Spec YAML" }));
    await user.click(screen.getByTestId("export-save"));
    expect(await screen.findByTestId("export-saved")).toHaveTextContent("Saved to /specs/my-eks.yaml");
    expect(mocked.saveClusterSpec).toHaveBeenCalledWith(seedSpec());
  });
});
