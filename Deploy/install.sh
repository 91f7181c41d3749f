#!/usr/bin/env bash
# Installs the gateway and cloud-sync on a systemd machine (`make install` runs it):
# binaries, hardened units, the sysusers file, configs (an existing, edited config is kept), and
# the gateway's log signing key when there is none.
#
#   GATEWAY_BIN, CLOUD_SYNC_BIN  the binaries to install (required; `make install` builds release ones)
#   DESTDIR         staging root for packages and tests: no users are created, nothing is chowned,
#                   systemd is not told. Empty: the live system (needs root).
#   PREFIX          /usr/local; binaries go to $PREFIX/bin, docs to $PREFIX/share/doc/sensing-gateway
#   UNITDIR         where the units go; default $PREFIX/lib/systemd/system for /usr and /usr/local
#                   (both on systemd's search path), /etc/systemd/system otherwise
#   GATEWAY_ORIGIN  the signed log's name (the key's name), default "$(hostname)/gateway"
#   GATEWAY_KEY     yes (default) or no: packagers say no, so that every box makes its own key
#
# Configs live in /etc/sensing-gateway and /etc/cloud-sync whatever PREFIX is: the units' ConfigurationDirectory=.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

die() { echo "install: $*" >&2; exit 1; }
: "${GATEWAY_BIN:?set GATEWAY_BIN to the gateway binary (make install builds one)}"
: "${CLOUD_SYNC_BIN:?set CLOUD_SYNC_BIN to the cloud-sync binary (make install builds one)}"
[ -x "$GATEWAY_BIN" ] || die "GATEWAY_BIN=$GATEWAY_BIN is not an executable file"
[ -x "$CLOUD_SYNC_BIN" ] || die "CLOUD_SYNC_BIN=$CLOUD_SYNC_BIN is not an executable file"

DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
case "$PREFIX" in /usr|/usr/local) default_libdir=$PREFIX/lib ;; *) default_libdir="" ;; esac
UNITDIR=${UNITDIR:-${default_libdir:+$default_libdir/systemd/system}}
UNITDIR=${UNITDIR:-/etc/systemd/system}
SYSUSERSDIR=${SYSUSERSDIR:-${default_libdir:+$default_libdir/sysusers.d}}
SYSUSERSDIR=${SYSUSERSDIR:-/etc/sysusers.d}
MODULESLOADDIR=${MODULESLOADDIR:-${default_libdir:+$default_libdir/modules-load.d}}
MODULESLOADDIR=${MODULESLOADDIR:-/etc/modules-load.d}
SYSCTLDIR=${SYSCTLDIR:-${default_libdir:+$default_libdir/sysctl.d}}
SYSCTLDIR=${SYSCTLDIR:-/etc/sysctl.d}
GATEWAY_ORIGIN=${GATEWAY_ORIGIN:-$(hostname)/gateway}
GATEWAY_KEY=${GATEWAY_KEY:-yes}
bindir=$PREFIX/bin
docdir=$PREFIX/share/doc/sensing-gateway
gwconf=/etc/sensing-gateway
csconf=/etc/cloud-sync
live=no
if [ -z "$DESTDIR" ]; then
    live=yes
    [ "$(id -u)" -eq 0 ] || die "installing into the live system needs root (or set DESTDIR to stage into a folder)"
fi
root=$DESTDIR

install -d -m 0755 "$root$bindir" "$root$UNITDIR" "$root$SYSUSERSDIR" "$root$docdir" "$root$gwconf" "$root$csconf"
install -m 0755 "$GATEWAY_BIN" "$root$bindir/gateway"
install -m 0755 "$CLOUD_SYNC_BIN" "$root$bindir/cloud-sync"

for unit in sensing-gateway cloud-sync; do
    sed -e "s|@BINDIR@|$bindir|g" -e "s|@DOCDIR@|$docdir|g" "$here/systemd/$unit.service.in" > "$root$UNITDIR/$unit.service"
    chmod 0644 "$root$UNITDIR/$unit.service"
done
install -m 0644 "$here/systemd/sensing-gateway.sysusers.conf" "$root$SYSUSERSDIR/sensing-gateway.conf"
install -D -m 0644 "$here/systemd/sensing-gateway.modules-load.conf" "$root$MODULESLOADDIR/sensing-gateway.conf"
install -D -m 0644 "$here/systemd/sensing-gateway.sysctl.conf" "$root$SYSCTLDIR/60-sensing-gateway.conf"
# Reference copies: every gateway key with its default, the drop-in for boxes without live capture.
install -m 0644 "$here/README.md" "$root$docdir/Deploy-README.md"
install -m 0644 "$here/gateway.yaml" "$root$docdir/gateway.yaml.reference"
install -m 0644 "$here/systemd/sensing-gateway.service.d/no-live-capture.conf" "$root$docdir/no-live-capture.conf"

# The service users exist before anything is chowned to them.
if [ "$live" = yes ]; then
    if command -v systemd-sysusers >/dev/null; then
        systemd-sysusers "$root$SYSUSERSDIR/sensing-gateway.conf"
    else
        for user in sensing-gateway cloud-sync; do
            id "$user" >/dev/null 2>&1 ||
                useradd --system --user-group --home-dir "/var/lib/$user" --no-create-home --shell /usr/sbin/nologin "$user"
        done
        usermod -a -G dialout sensing-gateway
    fi
fi
# owner USER FILE: hand a file to a service user, on the live system only.
owner() { if [ "$live" = yes ]; then chown "$1" "$2"; fi; }

# Configs: installed once, never replaced (they are edited per site). Mode 0640: they may hold
# an MQTT password; the service's group reads them.
if [ -e "$root$gwconf/gateway.yaml" ]; then
    echo "kept $gwconf/gateway.yaml (the new reference is $docdir/gateway.yaml.reference)"
else
    sed -e "s|^  key_file: \"\" *#|  key_file: $gwconf/log.key  #|" "$here/gateway.yaml" > "$root$gwconf/gateway.yaml.new"
    grep -q "^  key_file: $gwconf/log.key" "$root$gwconf/gateway.yaml.new" ||
        die "could not point ledger.key_file at the key in $here/gateway.yaml (its key_file line changed?)"
    chmod 0640 "$root$gwconf/gateway.yaml.new"
    owner root:sensing-gateway "$root$gwconf/gateway.yaml.new"
    mv "$root$gwconf/gateway.yaml.new" "$root$gwconf/gateway.yaml"
    echo "installed $gwconf/gateway.yaml"
fi
if [ -e "$root$csconf/cloud-sync.yaml" ]; then
    echo "kept $csconf/cloud-sync.yaml"
else
    install -m 0640 "$here/cloud-sync.yaml" "$root$csconf/cloud-sync.yaml"
    owner root:cloud-sync "$root$csconf/cloud-sync.yaml"
    echo "installed $csconf/cloud-sync.yaml"
fi

# The signing key: made once per box with the binary just installed (mode 0600 from the start),
# owned by the daemon's user. Its verifier key goes next to it, to enrol the box in cloud-sync.
key=$gwconf/log.key
if [ "$GATEWAY_KEY" = yes ]; then
    if [ -e "$root$key" ]; then
        echo "kept $key"
    else
        "$root$bindir/gateway" keys generate --name "$GATEWAY_ORIGIN" --out "$root$key" > "$root$gwconf/log.pub"
    fi
    owner sensing-gateway:sensing-gateway "$root$key"
    "$root$bindir/gateway" keys show --key "$root$key" > "$root$gwconf/log.pub"
    chmod 0644 "$root$gwconf/log.pub"
    echo "verifier key (enrol it in cloud-sync's gateways list): $(cat "$root$gwconf/log.pub")"
fi

if [ "$live" = yes ] && [ -d /run/systemd/system ]; then
    modprobe -a usbserial cdc_acm 2>/dev/null || true   # now, as at every boot from here on
    sysctl -q -p "$SYSCTLDIR/60-sensing-gateway.conf" || true
    systemctl daemon-reload
    echo "next: edit $gwconf/gateway.yaml, then: systemctl enable --now sensing-gateway"
fi
