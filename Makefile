# The two commands of README.md:
#   make demo   installs what is needed, builds, runs the daemon on a simulated scenario
#   make test   installs what is needed, builds and runs every test
# Both work on a fresh Debian machine as root.

SWIFT ?= swift
SWIFT_FLAGS ?=

.PHONY: demo test deps build release install deploy-check bench bench-ledger protos clean firmware-test firmware-vectors

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
# virtual ESP32 streams to the gateway just built and the gateway's accounting is checked (~10 s);
# then Deploy/ is checked against the binaries just built (~15-40 s).
test: deps
	Tools/firmware-test.sh
	$(SWIFT) build $(SWIFT_FLAGS) --build-tests
	$(SWIFT) test $(SWIFT_FLAGS) --skip-build --no-parallel
	GATEWAY_BIN="$$($(SWIFT) build $(SWIFT_FLAGS) --show-bin-path)/gateway" Tools/firmware-gateway-check.sh
	bin="$$($(SWIFT) build $(SWIFT_FLAGS) --show-bin-path)"; \
	    GATEWAY_BIN="$$bin/gateway" CLOUD_SYNC_BIN="$$bin/cloud-sync" Tools/deploy-check.sh

release: deps
	$(SWIFT) build $(SWIFT_FLAGS) -c release --product gateway

# Installs gateway and cloud-sync with their systemd units, configs (kept if present) and the
# gateway's signing key (made if absent); see Deploy/README.md. Without GATEWAY_BIN/CLOUD_SYNC_BIN
# it builds release binaries with the Swift runtime linked in, so the box needs no toolchain.
#   make install [DESTDIR=/tmp/stage] [PREFIX=/usr/local] [GATEWAY_ORIGIN=site/gw-01] [GATEWAY_KEY=no]
PREFIX ?= /usr/local
DESTDIR ?=
GATEWAY_BIN ?=
CLOUD_SYNC_BIN ?=
INSTALL_BUILD_FLAGS ?= -c release --static-swift-stdlib
install:
	@gw="$(GATEWAY_BIN)"; cs="$(CLOUD_SYNC_BIN)"; \
	if [ -z "$$gw" ] || [ -z "$$cs" ]; then \
	    $(SWIFT) build $(SWIFT_FLAGS) $(INSTALL_BUILD_FLAGS) --product gateway && \
	    $(SWIFT) build $(SWIFT_FLAGS) $(INSTALL_BUILD_FLAGS) --product cloud-sync && \
	    bin="$$($(SWIFT) build $(SWIFT_FLAGS) $(INSTALL_BUILD_FLAGS) --show-bin-path)" && \
	    gw="$${gw:-$$bin/gateway}" && cs="$${cs:-$$bin/cloud-sync}" || exit 1; \
	fi; \
	DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" GATEWAY_BIN="$$gw" CLOUD_SYNC_BIN="$$cs" Deploy/install.sh

# Deploy/ against the debug binaries (part of `make test`; ~20 s once they are built).
deploy-check:
	$(SWIFT) build $(SWIFT_FLAGS) --product gateway
	$(SWIFT) build $(SWIFT_FLAGS) --product cloud-sync
	Tools/deploy-check.sh

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
