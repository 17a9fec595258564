#!/usr/bin/env bash
# Every check and test of the project, in stages, each timed. A failing stage
# does not stop the later ones (so one run shows every problem), but the run
# fails if any stage failed. Prerequisites missing = failure, never a skip.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never

declare -a names=() seconds=() results=()
stage() {
  local name=$1; shift
  echo
  echo "=== $name: $*"
  local start=$SECONDS
  if "$@"; then results+=("ok"); else results+=("FAILED"); fi
  names+=("$name"); seconds+=($((SECONDS - start)))
}

ui_checks() {
  (cd ui && npm run --silent typecheck && npm run --silent lint && NO_COLOR=1 npx vitest run && npm run --silent build)
}
rust_fmt() { cargo fmt --all --check; }
rust_tests() { cargo test -p eks-desk --no-fail-fast; }
# The test Kubernetes API server's own tests, kubectl against it included.
kube_api_tests() { cargo test -p test-kube-apiserver --no-fail-fast; }
# The Terraform export's golden files (kept equal to the exporter's output by
# the Rust tests) through HashiCorp's own HCL parser and formatter: what
# `terraform fmt -check` does, with the libraries terraform uses.
terraform_fmt() { (cd tests/terraform-export && npm run --silent check); }
rust_clippy() { cargo clippy --workspace --all-targets -- -D warnings; }
# `cargo test --no-run` (not `cargo build`) makes target/debug/eks-desk with
# the same dependency features as the test stage: a plain build resolves
# features without dev-dependencies and would recompile the AWS SDK.
e2e() {
  cargo test -p eks-desk --no-run && cargo test -p eks-desk-e2e --no-fail-fast -- --test-threads=1
}

stage "ui (typecheck, lint, vitest, build)" ui_checks
stage "rust fmt" rust_fmt
# First: it builds the test API server that the connect tests start.
stage "test kube-apiserver (kubectl included)" kube_api_tests
stage "rust tests (unit, ministack, bindings)" rust_tests
stage "terraform export (HashiCorp HCL)" terraform_fmt
stage "rust clippy" rust_clippy
stage "e2e (real window, tauri-driver)" e2e

echo
echo "=== stage times"
failed=0
for i in "${!names[@]}"; do
  printf '%-42s %6ss  %s\n' "${names[$i]}" "${seconds[$i]}" "${results[$i]}"
  [ "${results[$i]}" = ok ] || failed=1
done
if [ "$failed" -ne 0 ]; then
  echo "Some stages failed." >&2
  exit 1
fi
echo "All stages passed."
