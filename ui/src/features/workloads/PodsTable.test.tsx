import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { answerShell, renderCluster } from "../../test/appFixtures";
import { commands, type PodQuery_Deserialize, type PodWindow_Serialize } from "../../bindings";
import { err, ok } from "../../test/fixtures";
import { CONNECTION, heldWatch, kind, liveState, manyPods, overview, podRow, podWindow } from "../../test/workloadsFixtures";
import { ROW_HEIGHT } from "./PodsTable";

// Every command mocked: the cluster is opened through the app's routes and shell.
vi.mock("../../bindings");
vi.mock("@tauri-apps/api/core", async () => ({ Channel: (await import("../../test/runFixtures")).FakeChannel }));

const podsWindow = vi.mocked(commands.podsWindow);
/** The scroll box is 560 px tall, as on a screen (jsdom lays nothing out). */
const VIEW_HEIGHT = 560;

let watch: ReturnType<typeof heldWatch>;
let heights: MockInstance;

beforeEach(() => {
  answerShell();
  vi.mocked(commands.workloadsOverview).mockReset().mockResolvedValue(ok(overview()));
  vi.mocked(commands.stopWorkloads).mockReset().mockResolvedValue(ok(null));
  watch = heldWatch();
  vi.mocked(commands.watchWorkloads).mockReset().mockImplementation(watch.command);
  podsWindow.mockReset();
  heights = vi.spyOn(Element.prototype, "clientHeight", "get").mockImplementation(function (this: Element) {
    return this.getAttribute("data-testid") === "pods-scroll" ? VIEW_HEIGHT : 0;
  });
});

afterEach(() => heights.mockRestore());

/** The cluster view on its Pods tab, live at pods version `version`. */
async function openPods(version = 1) {
  const user = userEvent.setup();
  await renderCluster();
  await watch.send(liveState({ pods: kind({ state: "live" }, version) }));
  await user.click(screen.getByTestId("tab-pods"));
  return user;
}

function lastQuery(): PodQuery_Deserialize {
  const calls = podsWindow.mock.calls;
  expect(calls.length).toBeGreaterThan(0);
  const [connection, query] = calls[calls.length - 1];
  expect(connection).toBe(CONNECTION);
  return query;
}

function shownPods(): (string | null)[] {
  return screen.queryAllByTestId("pod-row").map((r) => r.getAttribute("data-pod"));
}

describe("the pods table", () => {
  it("asks Rust for the first window of every pod and shows its rows and counts", async () => {
    podsWindow.mockResolvedValue(
      ok(
        podWindow(
          [
            podRow({ name: "web-5d4f-abcde", readyContainers: 1, containers: 2, restarts: 4 }),
            podRow({ namespace: "kube-system", name: "coredns-7c9d-xyz", status: "CrashLoopBackOff", problem: true, owner: null }),
          ],
          { total: 5 },
        ),
      ),
    );
    await openPods();
    expect(await screen.findAllByTestId("pod-row")).toHaveLength(2);
    expect(lastQuery()).toEqual({
      namespace: null,
      search: "",
      labels: "",
      status: { kind: "all" },
      sort: "name",
      descending: false,
      offset: 0,
      limit: 100,
    });
    expect(screen.getByTestId("pods-count")).toHaveTextContent("2 of 5 pods");
    const [web, coredns] = screen.getAllByTestId("pod-row");
    expect(web).toHaveAttribute("data-pod", "default/web-5d4f-abcde");
    const cells = within(web).getAllByRole("cell").map((c) => c.textContent);
    expect(cells.slice(0, 5)).toEqual(["default", "web-5d4f-abcde", "1/2", "Running", "4"]);
    expect(cells.slice(6)).toEqual(["ip-10-0-1-10.eu-west-1.compute.internal", "10.0.1.23", "ReplicaSet/web-5d4f"]);
    expect(cells[5]).toMatch(/^\d+d$/);
    // A problem row is highlighted, its status coloured.
    expect(coredns).toHaveClass("pod-row-problem");
    expect(within(coredns).getByTestId("pod-status")).toHaveClass("pod-status-problem");
    expect(web).not.toHaveClass("pod-row-problem");
  });

  it("sends the sort, search, namespace, labels and status the user chose", async () => {
    podsWindow.mockImplementation(manyPods(3));
    const user = await openPods();
    await screen.findAllByTestId("pod-row");

    // The namespace is one of the cluster's (listNamespaces), not typed.
    await user.selectOptions(screen.getByTestId("pods-namespace"), await screen.findByRole("option", { name: "prod" }));
    await user.type(screen.getByTestId("pods-search"), "web");
    await user.type(screen.getByTestId("pods-labels"), "app=web,tier!=db");
    await user.selectOptions(screen.getByTestId("pods-status"), "problems");
    await user.click(screen.getByTestId("sort-restarts"));
    await waitFor(() =>
      expect(lastQuery()).toMatchObject({
        namespace: "prod",
        search: "web",
        labels: "app=web,tier!=db",
        status: { kind: "problems" },
        sort: "restarts",
        descending: false,
      }),
    );
    const restarts = screen.getByRole("columnheader", { name: /Restarts/ });
    expect(restarts).toHaveAttribute("aria-sort", "ascending");
    expect(restarts).toHaveTextContent("Restarts ▲");

    // A second click reverses the sort.
    await user.click(screen.getByTestId("sort-restarts"));
    await waitFor(() => expect(lastQuery()).toMatchObject({ sort: "restarts", descending: true }));
    expect(restarts).toHaveAttribute("aria-sort", "descending");
    expect(restarts).toHaveTextContent("Restarts ▼");
    expect(screen.getByRole("columnheader", { name: "Name" })).toHaveAttribute("aria-sort", "none");

    await user.selectOptions(screen.getByTestId("pods-status"), "pending");
    await waitFor(() => expect(lastQuery()).toMatchObject({ status: { kind: "phase", phase: "pending" } }));
  });

  it("asks again when Rust says the pods changed, and keeps the rows shown until the new ones arrive", async () => {
    podsWindow.mockResolvedValue(ok(podWindow([podRow({ name: "old" })])));
    await openPods(1);
    await waitFor(() => expect(shownPods()).toEqual(["default/old"]));
    const asked = podsWindow.mock.calls.length;

    let answer!: (w: ReturnType<typeof ok<PodWindow_Serialize>>) => void;
    podsWindow.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    // Only the nodes moved: the pods window stands.
    await watch.send(liveState({ pods: kind({ state: "live" }, 1), nodes: kind({ state: "live" }, 9) }));
    await new Promise((r) => setTimeout(r, 500));
    expect(podsWindow).toHaveBeenCalledTimes(asked);
    await watch.send(liveState({ pods: kind({ state: "live" }, 2), nodes: kind({ state: "live" }, 9) }));
    await waitFor(() => expect(podsWindow).toHaveBeenCalledTimes(asked + 1));
    expect(shownPods()).toEqual(["default/old"]);

    answer(ok(podWindow([podRow({ name: "new" })], { version: 2 })));
    await waitFor(() => expect(shownPods()).toEqual(["default/new"]));
  });

  it("has one window request in flight at a time, and then asks only for the newest", async () => {
    const answers: ((w: ReturnType<typeof ok<PodWindow_Serialize>>) => void)[] = [];
    podsWindow.mockImplementation(() => new Promise((resolve) => answers.push(resolve)));
    await openPods(1);
    await waitFor(() => expect(podsWindow).toHaveBeenCalledTimes(1));

    for (const version of [2, 3, 4, 5]) {
      await watch.send(liveState({ pods: kind({ state: "live" }, version) }));
    }
    await new Promise((r) => setTimeout(r, 700));
    expect(podsWindow).toHaveBeenCalledTimes(1);

    answers[0](ok(podWindow([podRow({ name: "first" })])));
    await waitFor(() => expect(podsWindow).toHaveBeenCalledTimes(2));
    await new Promise((r) => setTimeout(r, 400));
    expect(podsWindow).toHaveBeenCalledTimes(2);
  });

  it("renders only the rows in view of 150000, with the scroll height of all of them", async () => {
    podsWindow.mockImplementation(manyPods(150_000));
    await openPods();
    await waitFor(() => expect(shownPods()).toContain("default/pod-0"));
    expect(screen.getByTestId("pods-count")).toHaveTextContent(`${(150_000).toLocaleString()} of ${(150_000).toLocaleString()} pods`);
    expect(screen.getByTestId("pods-inner").style.height).toBe(`${150_000 * ROW_HEIGHT}px`);
    const rendered = shownPods().length;
    expect(rendered).toBeGreaterThanOrEqual(Math.floor(VIEW_HEIGHT / ROW_HEIGHT));
    expect(rendered).toBeLessThan(60);
    expect(podsWindow.mock.calls.every(([, q]) => (q.limit ?? 0) <= 1000)).toBe(true);

    // Scrolled to row 10000: the window there is asked for and shown.
    const scroller = screen.getByTestId("pods-scroll");
    scroller.scrollTop = 10_000 * ROW_HEIGHT;
    fireEvent.scroll(scroller);
    await waitFor(() => expect(shownPods()).toContain("default/pod-10000"));
    const { offset = 0, limit = 0 } = lastQuery();
    expect(offset).toBeLessThanOrEqual(10_000);
    expect(offset + limit).toBeGreaterThan(10_000 + VIEW_HEIGHT / ROW_HEIGHT);
    expect(limit).toBeLessThanOrEqual(1000);
    expect(shownPods()).not.toContain("default/pod-0");
    expect(shownPods().length).toBeLessThan(60);
  });

  it("shows an invalid label selector's error under the Labels field and keeps the rows", async () => {
    podsWindow.mockResolvedValue(ok(podWindow([podRow({ name: "web" })])));
    const user = await openPods();
    await waitFor(() => expect(shownPods()).toEqual(["default/web"]));
    const message = 'labels: "app==" is not a label selector: a value is missing after ==';
    podsWindow.mockResolvedValue({ status: "error", error: { code: "invalid_input", message, field: "labels" } });
    const labels = screen.getByTestId("pods-labels");
    await user.type(labels, "app==");
    const error = await screen.findByTestId("pods-labels-error");
    expect(error).toHaveTextContent(message);
    expect(labels.closest(".field")).toContainElement(error);
    expect(labels).toHaveAttribute("aria-invalid", "true");
    expect(labels).toHaveAccessibleDescription(message);
    expect(shownPods()).toEqual(["default/web"]);
    expect(screen.queryByTestId("pods-error")).not.toBeInTheDocument();

    podsWindow.mockResolvedValue(ok(podWindow([podRow({ name: "web" })])));
    await user.clear(labels);
    await waitFor(() => expect(screen.queryByTestId("pods-labels-error")).not.toBeInTheDocument());
    expect(labels).not.toHaveAttribute("aria-invalid");
  });

  it("shows another error above the table, not under the labels", async () => {
    podsWindow.mockResolvedValue(err("invalid_input", "eks:eu-west-1/demo is not open: connect to it first"));
    await openPods();
    expect(await screen.findByTestId("pods-error")).toHaveTextContent("is not open");
    expect(screen.queryByTestId("pods-labels-error")).not.toBeInTheDocument();
  });

  it("/ focuses the search box and Esc empties it", async () => {
    podsWindow.mockImplementation(manyPods(3));
    const user = await openPods();
    const search = screen.getByTestId("pods-search");
    expect(search).not.toHaveFocus();
    await user.keyboard("/");
    expect(search).toHaveFocus();
    await user.keyboard("web");
    expect(search).toHaveValue("web");
    await user.keyboard("{Escape}");
    expect(search).toHaveValue("");
    await user.keyboard("{Escape}");
    expect(search).not.toHaveFocus();
  });

  it("keeps the filters across a switch of tabs", async () => {
    podsWindow.mockImplementation(manyPods(3));
    const user = await openPods();
    await user.type(screen.getByTestId("pods-search"), "web");
    await user.click(screen.getByTestId("tab-overview"));
    await user.click(screen.getByTestId("tab-pods"));
    expect(screen.getByTestId("pods-search")).toHaveValue("web");
  });

  it("shows hostile pod names as the text they are, bidi controls included", async () => {
    const name = 'evil-\u202Egpj.exe<script>alert(1)</script><img src=x onerror=alert(2)>';
    podsWindow.mockResolvedValue(ok(podWindow([podRow({ namespace: "<b>ns</b>", name, status: "<i>Running</i>" })])));
    await openPods();
    const [row] = await screen.findAllByTestId("pod-row");
    expect(row).toHaveAttribute("data-pod", `<b>ns</b>/${name}`);
    const cells = within(row).getAllByRole("cell");
    expect(cells[0]).toHaveTextContent("<b>ns</b>");
    // The right-to-left override is shown as its code point, so it cannot reverse what follows it.
    expect(cells[1].textContent).toBe("evil-⟨U+202E⟩gpj.exe<script>alert(1)</script><img src=x onerror=alert(2)>");
    expect(cells[3]).toHaveTextContent("<i>Running</i>");
    const table = screen.getByTestId("pods-table");
    expect(table.querySelector("script, img, b, i")).toBeNull();
  });
});
