// Shared by the Create page's component tests (which each mock ../../bindings
// with `mockCreateCommands`): renders the page and waits for the first check.
import { screen, waitFor } from "@testing-library/react";
import { expect, vi } from "vitest";
import { commands, type Environment } from "../../bindings";
import { ok, renderWithClient } from "../../test/fixtures";
import { costEstimate, seedSpec, specCheck, specChoices } from "../../test/specFixtures";
import { CreatePage } from "./CreatePage";

export const EMULATOR: Environment = { kind: "emulator", region: "ap-northeast-2" };

export const mocked = {
  newClusterSpec: vi.mocked(commands.newClusterSpec),
  checkClusterSpec: vi.mocked(commands.checkClusterSpec),
  specChoices: vi.mocked(commands.specChoices),
  planClusterSpec: vi.mocked(commands.planClusterSpec),
  estimateCost: vi.mocked(commands.estimateCost),
  exportClusterSpec: vi.mocked(commands.exportClusterSpec),
  parseClusterSpec: vi.mocked(commands.parseClusterSpec),
  saveClusterSpec: vi.mocked(commands.saveClusterSpec),
  saveClusterExport: vi.mocked(commands.saveClusterExport),
  savedClusterSpecs: vi.mocked(commands.savedClusterSpecs),
  startApply: vi.mocked(commands.startApply),
  resumeRun: vi.mocked(commands.resumeRun),
  startDestroy: vi.mocked(commands.startDestroy),
  destroyLeftovers: vi.mocked(commands.destroyLeftovers),
  cancelRun: vi.mocked(commands.cancelRun),
  runJournal: vi.mocked(commands.runJournal),
  runPlan: vi.mocked(commands.runPlan),
};

/** Every command answers as for the seed, with no issues. */
export function resetCreateMocks() {
  for (const fn of Object.values(vi.mocked(commands))) fn.mockReset();
  mocked.newClusterSpec.mockResolvedValue(seedSpec());
  mocked.checkClusterSpec.mockResolvedValue(ok(specCheck()));
  mocked.specChoices.mockResolvedValue(ok(specChoices()));
  mocked.estimateCost.mockResolvedValue(costEstimate());
  mocked.savedClusterSpecs.mockResolvedValue(ok([]));
  mocked.destroyLeftovers.mockResolvedValue(ok({ vpcId: null, items: [] }));
}

/** The page with the seed loaded and its first check answered. */
export async function renderCreatePage(environment: Environment = EMULATOR) {
  const utils = renderWithClient(<CreatePage environment={environment} />);
  await screen.findByTestId("field-cluster.name");
  await waitFor(() => expect(mocked.checkClusterSpec).toHaveBeenCalled());
  await screen.findByTestId("ip-guard-network.controlPlaneSubnets[0]");
  return utils;
}

/** The input of a spec path. */
export function field(path: string): HTMLInputElement {
  return screen.getByTestId(`field-${path}`) as HTMLInputElement;
}
