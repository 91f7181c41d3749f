# The two commands of README.md:
#   make demo   installs what is needed, builds, runs the daemon on a simulated scenario
#   make test   installs what is needed, builds and runs every test
# Both work on a fresh Debian machine as root.

SWIFT ?= swift
SWIFT_FLAGS ?=

.PHONY: demo test deps build release bench bench-ledger protos clean

deps:
	Tools/install-deps.sh

build: deps
	$(SWIFT) build $(SWIFT_FLAGS) --product gateway

demo: build
	Tools/demo.sh

# Tests run one at a time: several tests drive real peers (mosquitto, socat, live capture)
# whose helpers block threads while they wait, and in parallel on 2 cores they starved the
# cooperative pool long enough for timing-based waits to fail. Serial, the suite takes ~1 min.
test: deps
	$(SWIFT) build $(SWIFT_FLAGS) --build-tests
	$(SWIFT) test $(SWIFT_FLAGS) --skip-build --no-parallel

release: deps
	$(SWIFT) build $(SWIFT_FLAGS) -c release --product gateway

bench: deps
	Benchmarks/run.sh

bench-ledger: deps
	$(SWIFT) build $(SWIFT_FLAGS) -c release --product ledger-bench
	$$($(SWIFT) build $(SWIFT_FLAGS) -c release --show-bin-path)/ledger-bench $(ARGS)

protos:
	Tools/generate-protos.sh

clean:
	rm -rf .build
