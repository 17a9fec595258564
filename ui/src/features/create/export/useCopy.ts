import { useState } from "react";

export type CopyState = "idle" | "copied" | "failed";

/** Copies text to the clipboard and says whether it worked (as ErrorPanel does). */
export function useCopy(): [CopyState, (text: string) => void] {
  const [state, setState] = useState<CopyState>("idle");
  const copy = (text: string) => {
    const clipboard = navigator.clipboard;
    if (!clipboard) {
      setState("failed");
      return;
    }
    clipboard.writeText(text).then(
      () => setState("copied"),
      () => setState("failed"),
    );
  };
  return [state, copy];
}
