import { beforeEach, expect, it, vi } from "vitest";
import { waitFor } from "@testing-library/react";
import { answerShell, clusterPath, renderApp } from "../../test/appFixtures";
import { commands } from "../../bindings";
import { ok } from "../../test/fixtures";
import { overview } from "../../test/workloadsFixtures";

// Every command mocked: the cluster is opened through the app's routes and shell.
vi.mock("../../bindings");
vi.mock("@tauri-apps/api/core", async () => ({ Channel: (await import("../../test/runFixtures")).FakeChannel }));

beforeEach(() => {
  answerShell();
  vi.mocked(commands.workloadsOverview).mockReset().mockResolvedValue(ok(overview()));
});

it("sends a connection's watch and stop calls one after the other, so a stop never ends the next view's watch", async () => {
  const log: string[] = [];
  const answers: (() => void)[] = [];
  const held = (name: string) => () => {
    log.push(`${name} sent`);
    return new Promise<ReturnType<typeof ok<null>>>((resolve) =>
      answers.push(() => {
        log.push(`${name} done`);
        resolve(ok(null));
      }),
    );
  };
  vi.mocked(commands.watchWorkloads).mockReset().mockImplementation(held("watch"));
  vi.mocked(commands.stopWorkloads).mockReset().mockImplementation(held("stop"));
  // StrictMode mounts, unmounts and mounts again: watch, stop, watch.
  renderApp(clusterPath("overview"), { strict: true });
  for (let i = 0; i < 3; i++) {
    await waitFor(() => expect(answers).toHaveLength(i + 1));
    // Nothing else goes out while a call is unanswered.
    await new Promise((r) => setTimeout(r, 20));
    expect(answers).toHaveLength(i + 1);
    answers[i]();
  }
  expect(log).toEqual(["watch sent", "watch done", "stop sent", "stop done", "watch sent", "watch done"]);
});
