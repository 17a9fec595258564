import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";
import { resetStores } from "../app/store";

afterEach(() => {
  cleanup();
  resetStores();
});

// jsdom has no scrolling; the router scrolls the window to the top on each navigation.
window.scrollTo = () => {};
