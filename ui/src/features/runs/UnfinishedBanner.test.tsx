import { beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { commands, type Environment } from "../../bindings";
import { err, ok, renderWithClient } from "../../test/fixtures";
import { heldRun, journal, unfinishedRun } from "../../test/runFixtures";
import { seedSpec, step } from "../../test/specFixtures";
import { UnfinishedBanner } from "./UnfinishedBanner";

vi.mock("../../bindings", () => ({
  commands: {
    unfinishedRuns: vi.fn(),
    runJournal: vi.fn(),
    runPlan: vi.fn(),
    resumeRun: vi.fn(),
    startDestroy: vi.fn(),
    destroyLeftovers: vi.fn(),
    cancelRun: vi.fn(),
  },
}));
vi.mock("@tauri-apps/api/core", async () => ({ Channel: (await import("../../test/runFixtures")).FakeChannel }));

const mocked = vi.mocked(commands);
const CURRENT: Environment = { kind: "profile", profile: "dev", region: "eu-west-1" };
const RECORDED: Environment = { kind: "emulator", region: "ap-northeast-2" };
const STEPS = [step({ id: "vpc/main", kind: "vpc" }), step({ id: "role/cluster", kind: "iam_role" }), step({ id: "cluster/my-eks", kind: "cluster" })];
const IDS = STEPS.map((s) => s.id);

beforeEach(() => {
  for (const fn of Object.values(mocked)) fn.mockReset();
  mocked.runJournal.mockResolvedValue(ok(journal(["vpc/main", "role/cluster"], IDS)));
  mocked.runPlan.mockResolvedValue({ clusterName: "my-eks", region: "ap-northeast-2", steps: STEPS });
});

function renderBanner() {
  const onShowRun = vi.fn();
  renderWithClient(<UnfinishedBanner environment={CURRENT} onShowRun={onShowRun} />);
  return { onShowRun, user: userEvent.setup() };
}

describe("UnfinishedBanner", () => {
  it("says nothing when every run finished", async () => {
    mocked.unfinishedRuns.mockResolvedValue(ok({ runs: [], unreadable: [] }));
    renderBanner();
    await waitFor(() => expect(mocked.unfinishedRuns).toHaveBeenCalled());
    expect(screen.queryByTestId("unfinished-banner")).not.toBeInTheDocument();
  });

  it("shows a journal it cannot read instead of leaving it out", async () => {
    mocked.unfinishedRuns.mockResolvedValue(
      ok({ runs: [], unreadable: [{ path: "/data/journals/x.json", reason: "Journal /data/journals/x.json: EOF while parsing" }] }),
    );
    const { user } = renderBanner();
    const line = await screen.findByTestId("unreadable-journal");
    expect(line).toHaveTextContent("/data/journals/x.json");
    expect(line).toHaveTextContent("EOF while parsing");
    await user.click(within(line).getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByTestId("unfinished-banner")).not.toBeInTheDocument();
  });

  it("says when it could not look for unfinished runs", async () => {
    mocked.unfinishedRuns.mockResolvedValue(err("config_file", "Journal /data/journals: permission denied"));
    renderBanner();
    expect(await screen.findByTestId("unfinished-lookup-error")).toHaveTextContent("permission denied");
  });

  it("offers to resume a stopped apply where its journal says, and shows its progress", async () => {
    mocked.unfinishedRuns.mockResolvedValue(ok({ runs: [unfinishedRun({ failure: "cluster/my-eks: Subnets must be in two AZs" })], unreadable: [] }));
    const run = heldRun();
    mocked.resumeRun.mockImplementation(run.command);
    const { onShowRun, user } = renderBanner();
    const banner = await screen.findByTestId("unfinished-banner");
    expect(banner).toHaveTextContent("An apply of my-eks (ap-northeast-2) stopped at step 2/3");
    expect(banner).toHaveTextContent("cluster/my-eks: Subnets must be in two AZs");

    await user.click(within(banner).getByRole("button", { name: "Resume" }));
    expect(onShowRun).toHaveBeenCalled();
    await waitFor(() => expect(mocked.resumeRun).toHaveBeenCalledWith(seedSpec().id, expect.anything()));
    expect(mocked.runPlan).toHaveBeenCalledWith("apply", seedSpec());
    // The run is now shown with its progress, not offered again.
    await waitFor(() => expect(screen.queryByTestId("unfinished-banner")).not.toBeInTheDocument());
  });

  it("destroys with the typed name, in the account the journal recorded", async () => {
    mocked.unfinishedRuns.mockResolvedValue(ok({ runs: [unfinishedRun({ operation: "destroy", stepsDone: 1 })], unreadable: [] }));
    mocked.startDestroy.mockImplementation(heldRun().command);
    const { onShowRun, user } = renderBanner();
    const banner = await screen.findByTestId("unfinished-banner");
    expect(banner).toHaveTextContent("A destroy of my-eks (ap-northeast-2) stopped at step 1/3");

    await user.click(within(banner).getByRole("button", { name: "Destroy…" }));
    const confirm = screen.getByTestId("destroy-confirm-button");
    expect(confirm).toBeDisabled();
    await user.type(screen.getByTestId("destroy-confirm-input"), "my-eks");
    await user.click(confirm);
    expect(onShowRun).toHaveBeenCalled();
    await waitFor(() => expect(mocked.startDestroy).toHaveBeenCalledWith(RECORDED, seedSpec(), "my-eks", null, expect.anything()));
    expect(mocked.runPlan).toHaveBeenCalledWith("destroy", seedSpec());
  });

  it("can be dismissed", async () => {
    mocked.unfinishedRuns.mockResolvedValue(ok({ runs: [unfinishedRun()], unreadable: [] }));
    const { user } = renderBanner();
    await user.click(await screen.findByRole("button", { name: "Dismiss" }));
    expect(screen.queryByTestId("unfinished-banner")).not.toBeInTheDocument();
    expect(mocked.resumeRun).not.toHaveBeenCalled();
  });

  it("says why a resume could not start", async () => {
    mocked.unfinishedRuns.mockResolvedValue(ok({ runs: [unfinishedRun()], unreadable: [] }));
    mocked.runJournal.mockResolvedValue({ status: "error", error: { code: "config_file", message: "Journal /data/journals/x.json: unreadable" } });
    const { user } = renderBanner();
    await user.click(await screen.findByRole("button", { name: "Resume" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Journal /data/journals/x.json: unreadable");
    expect(mocked.resumeRun).not.toHaveBeenCalled();
  });
});
