# syntax=docker/dockerfile:1
# The gateway daemon as a container image. From the repository root:
#   docker build -f Deploy/docker/gateway.Dockerfile -t sensing-gateway .
# Build stage: the Swift toolchain image; runtime: Debian slim of the same release (so library
# sonames match) with only the shared libraries `ldd` lists for the binary. The Swift runtime and
# Foundation are linked statically (--static-swift-stdlib), so no toolchain libraries are copied.
# Tools/deploy-check.sh compares RUNTIME_PACKAGES below with ldd of the built binary.

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        pkg-config libpcap-dev libmosquitto-dev libsqlite3-dev zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The cache mount keeps fetched packages and objects between builds; the binary leaves it via /out.
RUN --mount=type=cache,target=/src/.build \
    swift build -c release --static-swift-stdlib --product gateway \
 && install -D -m 0755 "$(swift build -c release --show-bin-path)/gateway" /out/gateway

FROM ${RUNTIME_IMAGE} AS runtime
# libpcap (pcap source, capture files), libmosquitto (MQTT source), libsqlite3 (the store), and
# CA certificates for pushing to an https cloud-sync URL.
ARG RUNTIME_PACKAGES="libpcap0.8 libmosquitto1 libsqlite3-0 ca-certificates"
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${RUNTIME_PACKAGES} \
 && rm -rf /var/lib/apt/lists/*
# A fixed non-root uid, so volumes and Kubernetes' runAsUser can name it; dialout for serial ports
# passed in with --device.
RUN groupadd --system --gid 10001 gateway \
 && useradd --system --uid 10001 --gid gateway --groups dialout --no-create-home \
        --home-dir /var/lib/sensing-gateway --shell /usr/sbin/nologin gateway \
 && install -d -o gateway -g gateway -m 0750 /var/lib/sensing-gateway /etc/sensing-gateway/keys
COPY --from=build /out/gateway /usr/local/bin/gateway
COPY Deploy/docker/healthz-probe /usr/local/bin/healthz-probe
COPY Deploy/docker/gateway.yaml /etc/sensing-gateway/gateway.yaml
USER 10001:10001
WORKDIR /var/lib/sensing-gateway
VOLUME ["/var/lib/sensing-gateway"]
EXPOSE 5566/udp 8080/tcp
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["/usr/local/bin/healthz-probe", "8080"]
# SIGTERM drains and commits within 30 s: give `docker stop` -t 45 (compose: stop_grace_period).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/gateway"]
CMD ["run", "--config", "/etc/sensing-gateway/gateway.yaml"]
