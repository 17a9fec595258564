// Cluster data is shown as text (React escapes it), but text can still lie:
// bidi controls (U+202E…) make "gpj.exe" read as "exe.jpg" and can reorder
// the cells around them. Names show those controls as visible code points
// instead, so what is on screen is what is in the cluster.
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function visible(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}⟩`);
}
