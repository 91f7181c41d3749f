#!/bin/sh
# One-shot set-up of the compose project (the `init` service, run as root in the gateway image).
# Makes what must never be in an image and must survive restarts, each only when absent:
#   - the gateway's signing key (gateway-keys volume, owned by the gateway's uid, mode 0600);
#   - the PostgreSQL password (db-secret volume, read by postgres and cloud-sync);
# and writes cloud-sync's config enrolling the key's verifier key (cloud-sync-config volume).
# Nothing secret is printed.
set -eu
keys=/etc/sensing-gateway/keys
origin=${GATEWAY_ORIGIN:?set GATEWAY_ORIGIN}
if [ ! -e "$keys/log.key" ]; then
    gateway keys generate --name "$origin" --out "$keys/log.key" >/dev/null
    echo "init: made the gateway's signing key for $origin"
fi
chown 10001:10001 "$keys/log.key"
chmod 0600 "$keys/log.key"
verifier=$(gateway keys show --key "$keys/log.key")
# The key decides the origin: an existing key keeps its name even if GATEWAY_ORIGIN changed.
origin=${verifier%%+*}

if [ ! -e /run/db-secret/password ]; then
    (umask 022; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > /run/db-secret/password)
    echo "init: made the PostgreSQL password"
fi

sed -e "s|@GATEWAY_ORIGIN@|$origin|" -e "s|@VERIFIER_KEY@|$verifier|" \
    /deploy/cloud-sync.yaml.in > /run/cloud-sync-config/cloud-sync.yaml
chmod 0644 /run/cloud-sync-config/cloud-sync.yaml
echo "init: cloud-sync enrols $verifier"
