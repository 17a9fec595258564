import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

/**
 * The app runs with Tauri's `freezePrototype` (Object.prototype frozen).
 * d3-color, which React Flow loads through d3-zoom, assigns
 * `prototype.constructor` on an object literal when it loads; with a frozen
 * Object.prototype that assignment throws ("the override mistake") and the
 * plan graph never loads. Defining the property instead does the same thing
 * without tripping over the frozen prototype. The build fails if d3-color's
 * code no longer has that line, rather than shipping a graph that breaks.
 */
function freezeSafeD3Color(): Plugin {
  const assignment = "prototype.constructor = constructor;";
  return {
    name: "freeze-safe-d3-color",
    apply: "build",
    transform(code, id) {
      if (!/[\\/]node_modules[\\/]d3-color[\\/]/.test(id) || !id.endsWith(".js") && !id.endsWith(".mjs")) return null;
      if (!code.includes(assignment)) {
        this.error(`d3-color changed: "${assignment}" is gone from ${id}; check the plan graph under freezePrototype`);
      }
      return code.replace(
        assignment,
        'Object.defineProperty(prototype, "constructor", { value: constructor, writable: true, configurable: true, enumerable: false });',
      );
    },
  };
}

export default defineConfig({
  plugins: [react(), freezeSafeD3Color()],
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2021",
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
