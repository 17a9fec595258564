# EKS Desk — `make run` opens the app, `make test` runs every test.
# Both install what is missing first (Debian/Ubuntu packages, npm packages,
# the AWS emulator's venv, tauri-driver), so they work on a fresh machine.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:

MINISTACK_VERSION := 1.5.33
# ministack's optional Docker client: lets tests give clusters a CREATING phase.
DOCKER_PY_VERSION := 7.1.0
TAURI_DRIVER_VERSION := 2.1.0

RUN_PACKAGES := build-essential pkg-config curl python3-venv libwebkit2gtk-4.1-dev \
	libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev
TEST_PACKAGES := $(RUN_PACKAGES) xvfb webkit2gtk-driver

VENV := .venv
APP := target/debug/eks-desk
CARGO_BIN := $(HOME)/.cargo/bin
export PATH := $(CARGO_BIN):$(PATH)

.PHONY: run test deps run-deps test-deps ui app bindings emulator bench clean

## run: install what is missing, build, open the app (local emulator without AWS credentials)
run: run-deps ui app
	if ./$(APP) profiles --with-credentials | grep -q .; then
	  echo "Opening EKS Desk with your AWS profiles."
	  exec ./$(APP)
	fi
	echo "No AWS credentials found: starting the local AWS emulator (nothing touches real AWS)."
	port=$$($(VENV)/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	mkdir -p target
	GATEWAY_PORT=$$port BIND_HOST=127.0.0.1 AUTH=true DOCKER_HOST=unix:///nonexistent/docker.sock \
	  $(VENV)/bin/ministack > target/emulator.log 2>&1 &
	emulator=$$!
	trap 'kill $$emulator 2>/dev/null || true' EXIT
	for _ in $$(seq 1 100); do
	  curl -fs -o /dev/null "http://127.0.0.1:$$port/_ministack/health" && break
	  sleep 0.2
	done
	echo "Emulator on http://127.0.0.1:$$port (log: target/emulator.log)."
	# The emulator's clusters have no Kubernetes API of their own: the repo's
	# test API server stands in for them (a few nodes, system pods, slow
	# churn), signing in through the emulator's STS; the app labels it
	# "simulated". Only in this emulator mode.
	cargo build -p test-kube-apiserver
	rm -rf target/kube-api && mkdir -p target/kube-api
	target/debug/test-kube-apiserver --state-dir "$$PWD/target/kube-api" --simulate \
	  --emulator "http://127.0.0.1:$$port" > target/kube-api/ready 2> target/kube-api.log &
	kube_api=$$!
	trap 'kill $$emulator $$kube_api 2>/dev/null || true' EXIT
	for _ in $$(seq 1 100); do
	  [ -s target/kube-api/ready ] && break
	  sleep 0.2
	done
	ready=$$(head -n 1 target/kube-api/ready)
	echo "Simulated Kubernetes API: $$ready (log: target/kube-api.log)."
	AWS_ENDPOINT_URL="http://127.0.0.1:$$port" EKS_DESK_ENVIRONMENT=emulator \
	  EKS_DESK_SIMULATED_KUBE_API="$$ready" ./$(APP)

## test: install what is missing, then lint, UI tests, Rust tests (with the emulator) and e2e
test: test-deps
	bash tests/run-all.sh

run-deps:
	bash tests/support/install-deps.sh run "$(RUN_PACKAGES)"
	$(MAKE) --no-print-directory ui/node_modules/.installed $(VENV)/.installed

test-deps:
	bash tests/support/install-deps.sh test "$(TEST_PACKAGES)"
	$(MAKE) --no-print-directory ui/node_modules/.installed $(VENV)/.installed tests/terraform-export/node_modules/.installed
	if ! command -v tauri-driver >/dev/null; then
	  cargo install tauri-driver --locked --version $(TAURI_DRIVER_VERSION)
	fi

ui/node_modules/.installed: ui/package.json ui/package-lock.json
	npm --prefix ui ci --no-audit --no-fund
	touch $@

tests/terraform-export/node_modules/.installed: tests/terraform-export/package.json tests/terraform-export/package-lock.json
	npm --prefix tests/terraform-export ci --no-audit --no-fund
	touch $@

$(VENV)/.installed: Makefile
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check \
	  ministack==$(MINISTACK_VERSION) docker==$(DOCKER_PY_VERSION)
	touch $@

## ui: build the web UI into ui/dist (embedded into the binary)
ui: ui/node_modules/.installed
	npm --prefix ui run --silent build

## app: build the debug binary
app: ui
	cargo build -p eks-desk

## bindings: regenerate ui/src/bindings.ts from the Rust commands
bindings: ui
	EKS_DESK_UPDATE_BINDINGS=1 cargo test -p eks-desk --lib bindings_ts_is_current

## bench: the provisioning engine's own time per apply, and the workloads store at 30k and 150k pods; writes BENCHMARKS.md
bench: $(VENV)/.installed
	# The test API server in release: the benchmarks measure the app, not it.
	cargo build --release -p test-kube-apiserver
	TEST_KUBE_APISERVER="$$PWD/target/release/test-kube-apiserver" \
	  cargo test -p eks-desk --test provision_bench --test workloads_bench -- --ignored --nocapture

clean:
	rm -rf target ui/dist ui/node_modules $(VENV)
