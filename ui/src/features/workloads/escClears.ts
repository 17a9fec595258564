import type { KeyboardEvent } from "react";

/** Esc in a text field empties it, or leaves the field when it is empty already. */
export function escClears(value: string, clear: () => void) {
  return (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== "Escape") return;
    e.preventDefault();
    // The view's own Esc (closing a side panel) waits for the next press.
    e.stopPropagation();
    if (value !== "") clear();
    else e.currentTarget.blur();
  };
}
