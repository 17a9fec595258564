// The `vi.mock("../../bindings")` factory of the Create page's tests. It
// must not import the bindings itself (the mock would wait for itself).
import { vi } from "vitest";

export function mockCreateCommands() {
  return {
    commands: {
      newClusterSpec: vi.fn(),
      checkClusterSpec: vi.fn(),
      specChoices: vi.fn(),
      planClusterSpec: vi.fn(),
      estimateCost: vi.fn(),
      exportClusterSpec: vi.fn(),
      parseClusterSpec: vi.fn(),
      suggestSubnets: vi.fn(),
      saveClusterSpec: vi.fn(),
      saveClusterExport: vi.fn(),
      savedClusterSpecs: vi.fn(),
      loadClusterSpec: vi.fn(),
      callerIdentity: vi.fn(),
      startApply: vi.fn(),
      resumeRun: vi.fn(),
      startDestroy: vi.fn(),
      destroyLeftovers: vi.fn(),
      cancelRun: vi.fn(),
      unfinishedRuns: vi.fn(),
      runJournal: vi.fn(),
      runPlan: vi.fn(),
    },
  };
}
