import { beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryHistory } from "@tanstack/react-router";
import { commands } from "../bindings";
import { choices, cluster, clusterOverview, err, noKubeContexts, ok, renderWithClient } from "../test/fixtures";
import { unfinishedRun } from "../test/runFixtures";
import { overview as workloadsOverview } from "../test/workloadsFixtures";
import { costEstimate, planResult, seedSpec, specCheck, specChoices, step } from "../test/specFixtures";
import { App } from "./App";

vi.mock("../bindings", () => ({
  commands: {
    environmentChoices: vi.fn(),
    callerIdentity: vi.fn(),
    listClusters: vi.fn(),
    kubeContexts: vi.fn(),
    newClusterSpec: vi.fn(),
    checkClusterSpec: vi.fn(),
    specChoices: vi.fn(),
    savedClusterSpecs: vi.fn(),
    unfinishedRuns: vi.fn(),
    planClusterSpec: vi.fn(),
    estimateCost: vi.fn(),
    connectCluster: vi.fn(),
    watchWorkloads: vi.fn(),
    stopWorkloads: vi.fn(),
    workloadsOverview: vi.fn(),
  },
}));
vi.mock("@tauri-apps/api/core", async () => ({ Channel: (await import("../test/runFixtures")).FakeChannel }));

const environmentChoices = vi.mocked(commands.environmentChoices);
const callerIdentity = vi.mocked(commands.callerIdentity);
const listClusters = vi.mocked(commands.listClusters);
const kubeContexts = vi.mocked(commands.kubeContexts);
const newClusterSpec = vi.mocked(commands.newClusterSpec);

/** The app as it starts: at "/", over a history of its own (the window's hash would carry over between tests). */
function renderAppAtStart() {
  return renderWithClient(<App history={createMemoryHistory({ initialEntries: ["/"] })} />);
}

const EMULATOR_START = choices({
  initial: { kind: "emulator", region: "us-east-1" },
  hasCredentials: false,
  profiles: [],
});

beforeEach(() => {
  environmentChoices.mockReset();
  callerIdentity.mockReset();
  listClusters.mockReset();
  kubeContexts.mockReset();
  callerIdentity.mockResolvedValue(
    ok({ account: "000000000000", arn: "arn:aws:iam::000000000000:root", userId: "AKIAEMULATOR", isRoot: false }),
  );
  listClusters.mockResolvedValue(ok([]));
  kubeContexts.mockResolvedValue(ok(noKubeContexts()));
  newClusterSpec.mockReset();
  newClusterSpec.mockImplementation(async (region) => ({ ...seedSpec(), cluster: { ...seedSpec().cluster, region } }));
  vi.mocked(commands.checkClusterSpec).mockResolvedValue(ok(specCheck()));
  vi.mocked(commands.specChoices).mockResolvedValue(ok(specChoices()));
  vi.mocked(commands.savedClusterSpecs).mockResolvedValue(ok([]));
  vi.mocked(commands.estimateCost).mockResolvedValue(costEstimate());
  vi.mocked(commands.unfinishedRuns).mockResolvedValue(ok({ runs: [], unreadable: [] }));
  vi.mocked(commands.watchWorkloads).mockResolvedValue(ok(null));
  vi.mocked(commands.stopWorkloads).mockResolvedValue(ok(null));
  vi.mocked(commands.workloadsOverview).mockResolvedValue(ok(workloadsOverview()));
});

describe("App", () => {
  it("boots on the emulator without credentials, then navigates to Create and a coming-soon page", async () => {
    environmentChoices.mockResolvedValue(ok(EMULATOR_START));
    const user = userEvent.setup();
    renderAppAtStart();
    expect(screen.getByText("Starting EKS Desk…")).toBeInTheDocument();

    const banner = await screen.findByTestId("emulator-banner");
    expect(banner).toHaveTextContent("nothing here touches real AWS");
    expect(banner).toHaveTextContent("http://127.0.0.1:4566");
    expect(banner).toHaveTextContent("No AWS credentials were found");
    expect(screen.getByRole("combobox", { name: "Environment" })).toHaveValue("emulator");
    expect(screen.getByRole("combobox", { name: "Region" })).toHaveValue("us-east-1");
    expect(await screen.findByTestId("clusters-empty")).toHaveTextContent("us-east-1");
    expect(listClusters).toHaveBeenCalledWith({ kind: "emulator", region: "us-east-1" });
    expect(await screen.findByTestId("caller-identity")).toHaveTextContent("Account 000000000000");

    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(within(nav).getByRole("button", { name: "Clusters" })).toHaveAttribute("aria-current", "page");
    await user.click(within(nav).getByRole("button", { name: "Create" }));
    const create = await screen.findByTestId("create-page");
    expect(await within(create).findByTestId("field-cluster.name")).toHaveValue("my-eks");
    // The new spec starts in the selected region.
    expect(newClusterSpec).toHaveBeenCalledWith("us-east-1");
    expect(within(create).getByTestId("field-cluster.region")).toHaveValue("us-east-1");
    expect(within(nav).getByRole("button", { name: "Create" })).toHaveAttribute("aria-current", "page");

    await user.click(within(nav).getByRole("button", { name: "Access" }));
    const access = screen.getByTestId("coming-soon-access");
    expect(within(access).getByRole("heading", { name: "Access" })).toBeInTheDocument();
    expect(access).toHaveTextContent("Coming soon.");
    expect(screen.queryByTestId("clusters-page")).not.toBeInTheDocument();
    expect(screen.queryByTestId("create-page")).not.toBeInTheDocument();
    expect(within(nav).getByRole("button", { name: "Access" })).toHaveAttribute("aria-current", "page");
    expect(within(nav).getByRole("button", { name: "Clusters" })).not.toHaveAttribute("aria-current");
    // Still on the emulator: the banner stays on every page.
    expect(screen.getByTestId("emulator-banner")).toBeInTheDocument();

    await user.click(within(nav).getByRole("button", { name: "Clusters" }));
    expect(screen.getByTestId("clusters-page")).toBeInTheDocument();
    expect(screen.queryByTestId("coming-soon-access")).not.toBeInTheDocument();
  });

  it("keeps the Create form's edits across a visit to another page", async () => {
    environmentChoices.mockResolvedValue(ok(EMULATOR_START));
    const user = userEvent.setup();
    renderAppAtStart();
    const nav = await screen.findByRole("navigation", { name: "Main" });
    await user.click(within(nav).getByRole("button", { name: "Create" }));
    const name = await screen.findByTestId("field-cluster.name");
    await user.clear(name);
    await user.type(name, "kept");
    await user.click(within(nav).getByRole("button", { name: "Clusters" }));
    await user.click(within(nav).getByRole("button", { name: "Create" }));
    expect(await screen.findByTestId("field-cluster.name")).toHaveValue("kept");
  });

  it("keeps the last plan across a visit to another page", async () => {
    environmentChoices.mockResolvedValue(ok(EMULATOR_START));
    vi.mocked(commands.planClusterSpec).mockResolvedValue(ok(planResult([step({ id: "vpc/main", kind: "vpc", name: "10.0.0.0/16" })])));
    const user = userEvent.setup();
    renderAppAtStart();
    const nav = await screen.findByRole("navigation", { name: "Main" });
    await user.click(within(nav).getByRole("button", { name: "Create" }));
    await user.click(await screen.findByTestId("plan-button"));
    expect(await screen.findByTestId("plan-list")).toHaveTextContent("10.0.0.0/16");
    await user.click(within(nav).getByRole("button", { name: "Clusters" }));
    await user.click(within(nav).getByRole("button", { name: "Create" }));
    await user.click(await screen.findByTestId("view-plan"));
    expect(await screen.findByTestId("plan-list")).toHaveTextContent("10.0.0.0/16");
    expect(vi.mocked(commands.planClusterSpec)).toHaveBeenCalledTimes(1);
  });

  it("offers at start to resume or destroy a run that did not finish, on every page", async () => {
    environmentChoices.mockResolvedValue(ok(EMULATOR_START));
    vi.mocked(commands.unfinishedRuns).mockResolvedValue(ok({ runs: [unfinishedRun({ stepsDone: 7, stepsTotal: 21 })], unreadable: [] }));
    const user = userEvent.setup();
    renderAppAtStart();
    const banner = await screen.findByTestId("unfinished-banner");
    expect(banner).toHaveTextContent("An apply of my-eks (ap-northeast-2) stopped at step 7/21");
    expect(within(banner).getByRole("button", { name: "Resume" })).toBeInTheDocument();
    expect(within(banner).getByRole("button", { name: "Destroy…" })).toBeInTheDocument();
    expect(screen.getByTestId("clusters-page")).toBeInTheDocument();
    const nav = screen.getByRole("navigation", { name: "Main" });
    await user.click(within(nav).getByRole("button", { name: "Create" }));
    expect(screen.getByTestId("unfinished-banner")).toBeInTheDocument();
    await user.click(within(screen.getByTestId("unfinished-banner")).getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByTestId("unfinished-banner")).not.toBeInTheDocument();
  });

  it("shows no emulator banner on a profile", async () => {
    environmentChoices.mockResolvedValue(ok(choices()));
    listClusters.mockResolvedValue(ok([cluster({ name: "alpha" })]));
    renderAppAtStart();
    expect(await screen.findByTestId("cluster-table")).toBeInTheDocument();
    expect(screen.queryByTestId("emulator-banner")).not.toBeInTheDocument();
    expect(listClusters).toHaveBeenCalledWith({ kind: "profile", profile: "dev", region: "eu-west-1" });
  });

  it("switches environment from the picker and lists clusters there", async () => {
    environmentChoices.mockResolvedValue(ok(choices()));
    const user = userEvent.setup();
    renderAppAtStart();
    await screen.findByTestId("clusters-empty");

    await user.selectOptions(screen.getByRole("combobox", { name: "Region" }), "ap-southeast-2");
    await waitFor(() =>
      expect(listClusters).toHaveBeenCalledWith({ kind: "profile", profile: "dev", region: "ap-southeast-2" }),
    );
    expect(await screen.findByText("No EKS clusters in", { exact: false })).toHaveTextContent("ap-southeast-2");

    await user.selectOptions(screen.getByRole("combobox", { name: "Environment" }), "Local emulator");
    expect(await screen.findByTestId("emulator-banner")).not.toHaveTextContent("No AWS credentials");
    await waitFor(() => expect(listClusters).toHaveBeenCalledWith({ kind: "emulator", region: "ap-southeast-2" }));
  });

  it("moves to the emulator when a profile has no credentials and the user asks", async () => {
    environmentChoices.mockResolvedValue(ok(choices()));
    listClusters.mockImplementation((env) =>
      Promise.resolve(env.kind === "profile" ? err("no_credentials", "No credentials for dev") : ok([])),
    );
    const user = userEvent.setup();
    renderAppAtStart();
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("No AWS credentials");
    await user.click(within(alert).getByRole("button", { name: "Use the local emulator" }));

    expect(await screen.findByTestId("emulator-banner")).toBeInTheDocument();
    expect(screen.getByRole("combobox", { name: "Environment" })).toHaveValue("emulator");
    expect(await screen.findByTestId("clusters-empty")).toBeInTheDocument();
    expect(listClusters).toHaveBeenLastCalledWith({ kind: "emulator", region: "eu-west-1" });
  });

  it("connects to a cluster from its row, goes back to the list, and reaches the Access page from a missing entry", async () => {
    environmentChoices.mockResolvedValue(ok(choices()));
    listClusters.mockResolvedValue(ok([cluster({ name: "alpha" })]));
    const connectCluster = vi.mocked(commands.connectCluster);
    connectCluster.mockResolvedValue(ok(clusterOverview({ name: "alpha", kubernetesVersion: "v1.32.0-eks-1" })));
    const user = userEvent.setup();
    renderAppAtStart();
    await user.click(await screen.findByTestId("connect-alpha"));
    const view = await screen.findByTestId("cluster-view");
    expect(await within(view).findByTestId("kubernetes-version")).toHaveTextContent("v1.32.0-eks-1");
    expect(screen.queryByTestId("clusters-page")).not.toBeInTheDocument();
    expect(connectCluster).toHaveBeenCalledWith({ kind: "profile", profile: "dev", region: "eu-west-1" }, { cluster: "alpha" });

    await user.click(within(view).getByRole("button", { name: "Back to clusters" }));
    expect(await screen.findByTestId("cluster-table")).toBeInTheDocument();
    expect(screen.queryByTestId("cluster-view")).not.toBeInTheDocument();

    connectCluster.mockResolvedValue(err("no_access_entry", "Your IAM identity arn:aws:iam::111122223333:role/dev has no access entry"));
    await user.click(screen.getByTestId("connect-alpha"));
    const alert = await screen.findByRole("alert");
    await user.click(within(alert).getByRole("button", { name: "Open the cluster's access page" }));
    expect(screen.getByTestId("coming-soon-access")).toBeInTheDocument();
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(within(nav).getByRole("button", { name: "Access" })).toHaveAttribute("aria-current", "page");
    // The sidebar's Clusters is the list again, not the cluster left behind.
    await user.click(within(nav).getByRole("button", { name: "Clusters" }));
    expect(await screen.findByTestId("cluster-table")).toBeInTheDocument();
    expect(screen.queryByTestId("cluster-view")).not.toBeInTheDocument();
  });

  it("goes to the Create page from the empty cluster list", async () => {
    environmentChoices.mockResolvedValue(ok(EMULATOR_START));
    renderAppAtStart();
    const empty = await screen.findByTestId("clusters-empty");
    await userEvent.setup().click(within(empty).getByRole("button", { name: "Create a cluster" }));
    expect(await screen.findByTestId("create-page")).toBeInTheDocument();
  });

  it("shows a boot error with a Retry that starts the app", async () => {
    environmentChoices.mockResolvedValue(err("config_file", "~/.aws/config: bad section header"));
    const user = userEvent.setup();
    renderAppAtStart();
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Configuration file problem");
    expect(alert).toHaveTextContent("~/.aws/config: bad section header");
    expect(screen.queryByRole("navigation")).not.toBeInTheDocument();

    environmentChoices.mockResolvedValue(ok(EMULATOR_START));
    await user.click(within(alert).getByRole("button", { name: "Retry" }));
    expect(await screen.findByTestId("emulator-banner")).toBeInTheDocument();
    expect(environmentChoices).toHaveBeenCalledTimes(2);
  });
});
