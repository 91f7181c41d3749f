# The two commands of README.md:
#   make demo   installs what is needed, builds, runs the daemon on a simulated scenario
#   make test   installs what is needed, builds and runs every test
# Both work on a fresh Debian machine as root.

SWIFT ?= swift
SWIFT_FLAGS ?=

.PHONY: demo test deps build release bench bench-ledger protos clean firmware-test firmware-vectors

deps:
	Tools/install-deps.sh

build: deps
	$(SWIFT) build $(SWIFT_FLAGS) --product gateway

demo: build
	Tools/demo.sh

# Tests run one at a time: several tests drive real peers (mosquitto, socat, live capture)
# whose helpers block threads while they wait, and in parallel on 2 cores they starved the
# cooperative pool long enough for timing-based waits to fail. Serial, the suite takes ~1 min.
# The ESP32 firmware's host tests, RISC-V cross-compile and cppcheck run first (~20 s); last, the
# virtual ESP32 streams to the gateway just built and the gateway's accounting is checked (~10 s).
test: deps
	Tools/firmware-test.sh
	$(SWIFT) build $(SWIFT_FLAGS) --build-tests
	$(SWIFT) test $(SWIFT_FLAGS) --skip-build --no-parallel
	GATEWAY_BIN="$$($(SWIFT) build $(SWIFT_FLAGS) --show-bin-path)/gateway" Tools/firmware-gateway-check.sh

release: deps
	$(SWIFT) build $(SWIFT_FLAGS) -c release --product gateway

bench: deps
	Benchmarks/run.sh

bench-ledger: deps
	$(SWIFT) build $(SWIFT_FLAGS) -c release --product ledger-bench
	$$($(SWIFT) build $(SWIFT_FLAGS) -c release --show-bin-path)/ledger-bench $(ARGS)

protos:
	Tools/generate-protos.sh

firmware-test: deps
	Tools/firmware-test.sh

# Rewrites the firmware's cross-language vectors after a deliberate change to the encoding:
# the C side (vectors/c, vectors.json), then the Swift side (vectors/swift), then checks both.
firmware-vectors: deps
	cmake -S Firmware/test_host -B .build-firmware/host >/dev/null
	cmake --build .build-firmware/host --target test_vectors >/dev/null
	FIRMWARE_VECTORS_UPDATE=1 ctest --test-dir .build-firmware/host -R test_vectors --output-on-failure
	$(SWIFT) build $(SWIFT_FLAGS) --build-tests
	FIRMWARE_VECTORS_UPDATE=1 $(SWIFT) test $(SWIFT_FLAGS) --skip-build --filter FirmwareVectorsTests
	ctest --test-dir .build-firmware/host -R test_vectors --output-on-failure

clean:
	rm -rf .build
