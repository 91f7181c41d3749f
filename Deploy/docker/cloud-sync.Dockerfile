# syntax=docker/dockerfile:1
# The cloud sync service as a container image. From the repository root:
#   docker build -f Deploy/docker/cloud-sync.Dockerfile -t sensing-cloud-sync .
# Same layout as gateway.Dockerfile: Swift toolchain image to build, Debian slim of the same
# release to run, with only the shared libraries `ldd` lists (checked by Tools/deploy-check.sh).
# The root filesystem can be mounted read-only: the service writes only its SQLite file (to
# /var/lib/cloud-sync, a volume) or nothing at all with PostgreSQL.

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        pkg-config libpcap-dev libmosquitto-dev libsqlite3-dev zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/src/.build \
    swift build -c release --static-swift-stdlib --product cloud-sync \
 && install -D -m 0755 "$(swift build -c release --show-bin-path)/cloud-sync" /out/cloud-sync

FROM ${RUNTIME_IMAGE} AS runtime
# libsqlite3 (the embedded storage) and CA certificates for PostgreSQL with tls: require.
ARG RUNTIME_PACKAGES="libsqlite3-0 ca-certificates"
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${RUNTIME_PACKAGES} \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 cloud-sync \
 && useradd --system --uid 10001 --gid cloud-sync --no-create-home \
        --home-dir /var/lib/cloud-sync --shell /usr/sbin/nologin cloud-sync \
 && install -d -o cloud-sync -g cloud-sync -m 0750 /var/lib/cloud-sync
COPY --from=build /out/cloud-sync /usr/local/bin/cloud-sync
COPY Deploy/docker/healthz-probe /usr/local/bin/healthz-probe
COPY Deploy/docker/cloud-sync.yaml /etc/cloud-sync/cloud-sync.yaml
USER 10001:10001
WORKDIR /var/lib/cloud-sync
VOLUME ["/var/lib/cloud-sync"]
EXPOSE 8443/tcp
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["/usr/local/bin/healthz-probe", "8443"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/cloud-sync"]
CMD ["serve", "--config", "/etc/cloud-sync/cloud-sync.yaml"]
