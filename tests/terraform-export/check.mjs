// Every Terraform golden file of the exporter (the Rust tests keep them equal
// to what the exporter writes) must parse with HashiCorp's HCL parser and be
// left unchanged by HashiCorp's formatter — `terraform fmt -check`, with the
// libraries terraform itself uses. Prints one line per file and a summary.
import { format } from "@cdktf/hcl-tools";
import { parse } from "@cdktf/hcl2json";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = new URL("../../src-tauri/src/spec/export/golden/", import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => f.endsWith(".tf")).sort();
let passed = 0;
let failed = 0;
for (const name of files) {
  const text = readFileSync(join(dir, name), "utf8");
  try {
    const parsed = await parse(name, text);
    if (!parsed.resource) throw new Error("parsed, but holds no resource block");
    const formatted = await format(text);
    if (formatted !== text) {
      const a = text.split("\n");
      const b = formatted.split("\n");
      const line = a.findIndex((l, i) => l !== b[i]);
      throw new Error(`not formatted as terraform fmt would (line ${line + 1}): ${JSON.stringify(a[line])} → ${JSON.stringify(b[line])}`);
    }
    console.log(`ok     ${name}`);
    passed += 1;
  } catch (e) {
    console.log(`FAILED ${name}: ${e instanceof Error ? e.message : e}`);
    failed += 1;
  }
}
if (files.length === 0) {
  console.log(`FAILED: no .tf golden files in ${dir}`);
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
