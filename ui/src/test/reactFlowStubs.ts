// What React Flow needs from a browser that jsdom does not have; call in beforeAll.
import { vi } from "vitest";

export function stubReactFlowBrowser() {
  vi.stubGlobal(
    "ResizeObserver",
    class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  );
  vi.stubGlobal(
    "DOMMatrixReadOnly",
    class {
      m22 = 1;
    },
  );
  Object.defineProperties(HTMLElement.prototype, {
    offsetHeight: { get: () => 400, configurable: true },
    offsetWidth: { get: () => 800, configurable: true },
  });
}
