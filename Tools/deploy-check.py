#!/usr/bin/env python3
"""Static checks of Deploy/'s container and Kubernetes files (run by Tools/deploy-check.sh).

    deploy-check.py ROOT TOOLCHAIN_LIB_DIR GATEWAY_BIN CLOUD_SYNC_BIN

- Dockerfiles: a build stage FROM the Swift image and a runtime stage FROM Debian slim, a
  non-root USER, a HEALTHCHECK on /healthz, and RUNTIME_PACKAGES matching the Debian packages of
  the libraries `ldd` shows for the built binary (toolchain libraries excluded: the image build
  links them statically), in both directions.
- compose.yaml: the services, their images or build contexts, ports, health checks, start order
  (depends_on conditions), volumes, and that the env names the gateway reads exist.
- Kubernetes: Deployment replicas, probes, resources, non-root read-only securityContext, the
  Secret and ConfigMap it mounts, the Service's selector.
Prints one line per check; exits 1 when any fails.
"""
import os
import re
import subprocess
import sys

import yaml

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


# --- Libraries and Debian packages -------------------------------------------------------------

def ldd_libraries(binary, toolchain_lib):
    """Absolute paths of the shared libraries `binary` loads, without the Swift toolchain's."""
    out = subprocess.run(["ldd", binary], check=True, capture_output=True, text=True).stdout
    paths = []
    for line in out.splitlines():
        match = re.search(r"=>\s+(/\S+)", line)
        if not match:
            continue  # the vDSO and the dynamic loader itself
        path = os.path.realpath(match.group(1))
        if not path.startswith(toolchain_lib):
            paths.append(path)
    return paths


def packages_of(paths):
    """The Debian package owning each library file. dpkg records /usr/lib or /lib, whichever the
    package shipped, so both spellings are asked in one call."""
    spellings = {}
    for path in paths:
        other = path[len("/usr"):] if path.startswith("/usr/lib/") else "/usr" + path if path.startswith("/lib/") else path
        spellings[path] = (path, other)
    asked = sorted({p for pair in spellings.values() for p in pair})
    out = subprocess.run(["dpkg", "-S", *asked], capture_output=True, text=True).stdout
    owner = {}
    for line in out.splitlines():
        package, _, file = line.partition(": ")
        owner[file.strip()] = package.split(":")[0]
    return {path: owner.get(a) or owner.get(b) for path, (a, b) in spellings.items()}


def depends_closure(packages):
    """The packages plus everything they depend on, as installed here (what apt would pull in)."""
    out = subprocess.run(["dpkg-query", "-W", "-f=${Package}\t${Depends},${Pre-Depends}\n"],
                         check=True, capture_output=True, text=True).stdout
    depends = {}
    for line in out.splitlines():
        name, _, deps = line.partition("\t")
        depends[name] = [d.strip().split(" ")[0].split(":")[0] for d in re.split(r"[,|]", deps) if d.strip()]
    seen, todo = set(), list(packages)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += depends.get(name, [])
    return seen


# Present in debian:bookworm-slim (priority required, or needed by apt itself).
BASE_IMAGE_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g"}
# Packages a runtime list may hold for other reasons than a linked library, and why.
NON_LIBRARY_PACKAGES = {"ca-certificates"}  # TLS roots for https push and PostgreSQL tls: require


def dockerfile_checks(path, binary, toolchain_lib, port):
    name = os.path.basename(path)
    text = open(path).read()
    stages = re.findall(r"^FROM\s+(\S+)\s+AS\s+(\S+)", text, re.M | re.I)
    args = dict(re.findall(r"^ARG\s+(\w+)=(\S+)", text, re.M))
    images = {stage: args.get(image.strip("${}"), image) for image, stage in stages}
    check(re.match(r"swift:6\.\d+", images.get("build", "")) is not None,
          f"{name}: build stage FROM the Swift 6 image ({images.get('build')})")
    check(images.get("runtime", "").startswith("debian:") and images["runtime"].endswith("-slim"),
          f"{name}: runtime stage FROM Debian slim ({images.get('runtime')})")
    check(re.search(r"--static-swift-stdlib", text) is not None,
          f"{name}: Swift runtime linked statically (nothing from the toolchain needed at run time)")
    check(list(images)[-1:] == ["runtime"], f"{name}: the runtime stage is the last (the image built by default)")
    user = re.findall(r"^USER\s+(\S+)", text, re.M)
    check(bool(user) and user[-1].split(":")[0] not in ("0", "root"), f"{name}: runs as a non-root USER ({user[-1:]})")
    check(re.search(rf"^HEALTHCHECK .*\n?.*healthz-probe\", \"{port}\"", text, re.M) is not None,
          f"{name}: HEALTHCHECK probes /healthz on {port}")

    listed = set(re.search(r'^ARG RUNTIME_PACKAGES="([^"]*)"', text, re.M).group(1).split())
    libraries = ldd_libraries(binary, toolchain_lib)
    needed = {}
    for library, package in packages_of(libraries).items():
        needed.setdefault(package or f"<no package for {library}>", []).append(os.path.basename(library))
    provided = depends_closure(listed) | BASE_IMAGE_PACKAGES
    missing = sorted(p for p in needed if p not in provided)
    check(not missing, f"{name}: every library ldd lists comes with RUNTIME_PACKAGES or the base image "
                       f"(needed: {', '.join(sorted(needed))}; missing: {', '.join(missing) or 'none'})")
    unused = sorted(p for p in listed - NON_LIBRARY_PACKAGES if p not in needed)
    check(not unused, f"{name}: every runtime package provides a library the binary loads (unused: {', '.join(unused) or 'none'})")


# --- compose -----------------------------------------------------------------------------------

def compose_checks(path, root):
    compose = yaml.safe_load(open(path))
    services = compose.get("services", {})
    check(set(services) >= {"mosquitto", "postgres", "cloud-sync", "gateway", "init"},
          f"compose: services mosquitto, postgres, cloud-sync, gateway, init ({', '.join(services)})")
    for name in ("gateway", "cloud-sync", "init"):
        build = services.get(name, {}).get("build", {})
        dockerfile = os.path.normpath(os.path.join(os.path.dirname(path), build.get("context", "?"), build.get("dockerfile", "?")))
        check(os.path.isfile(dockerfile), f"compose: {name} builds {os.path.relpath(dockerfile, root)}")
    for name in ("mosquitto", "postgres"):
        check(":" in services.get(name, {}).get("image", ""), f"compose: {name} uses a tagged image")
    for name in ("mosquitto", "postgres", "cloud-sync", "gateway"):
        test = services.get(name, {}).get("healthcheck", {}).get("test", [])
        check(len(test) > 1, f"compose: {name} has a health check ({' '.join(test[1:3])} ...)")
    ports = {name: [str(p) for p in s.get("ports", [])] for name, s in services.items()}
    check("5566:5566/udp" in ports["gateway"], "compose: gateway publishes UDP 5566")
    check(any(p.endswith(":8443") for p in ports["cloud-sync"]), "compose: cloud-sync publishes 8443")
    check(any(p.endswith(":1883") for p in ports["mosquitto"]), "compose: mosquitto publishes 1883")

    def conditions(name):
        return {dep: cfg.get("condition") for dep, cfg in services[name].get("depends_on", {}).items()}
    check(conditions("gateway") == {"init": "service_completed_successfully", "mosquitto": "service_healthy",
                                    "cloud-sync": "service_healthy"},
          f"compose: gateway waits for init, a healthy broker and a healthy cloud-sync ({conditions('gateway')})")
    check(conditions("cloud-sync") == {"init": "service_completed_successfully", "postgres": "service_healthy"},
          f"compose: cloud-sync waits for init and a healthy PostgreSQL ({conditions('cloud-sync')})")
    check(conditions("postgres").get("init") == "service_completed_successfully", "compose: postgres waits for its password")

    def mounts(name):
        return {v.split(":")[1]: v.split(":")[0] for v in services[name].get("volumes", [])}
    named = set(compose.get("volumes", {}))
    sources = [(name, v.split(":")[0]) for name, s in services.items() for v in s.get("volumes", [])]
    dangling = [f"{name}:{source}" for name, source in sources
                if source not in named and not os.path.exists(os.path.join(os.path.dirname(path), source))]
    check(not dangling, f"compose: all {len(sources)} mounts are declared volumes or files here (dangling: {dangling or 'none'})")
    gateway_env = services["gateway"].get("environment", {})
    check(mounts("gateway").get("/var/lib/sensing-gateway") == "gateway-data", "compose: gateway keeps its database in a volume")
    check(os.path.dirname(gateway_env.get("GATEWAY_LEDGER_KEY_FILE", "")) in
          {target for target, source in mounts("gateway").items() if source == "gateway-keys"},
          "compose: the gateway's key file is on the keys volume")
    check("gateway-keys" not in mounts("cloud-sync").values() and "gateway-keys" not in mounts("postgres").values(),
          "compose: only the gateway and init see the signing key")
    check(gateway_env.get("GATEWAY_SYNC_URL") == "http://cloud-sync:8443" and gateway_env.get("GATEWAY_SYNC_MODE") == "push",
          "compose: gateway pushes to cloud-sync")
    check(gateway_env.get("GATEWAY_MQTT_HOST") == "mosquitto", "compose: gateway subscribes to the compose broker")
    for name in ("gateway", "cloud-sync"):
        grace = services[name].get("stop_grace_period", "10s")
        check(int(grace.rstrip("s")) > 30, f"compose: {name} stop_grace_period {grace} exceeds its 30 s graceful shutdown")
    template = open(os.path.join(os.path.dirname(path), "cloud-sync.yaml.in")).read()
    storage = yaml.safe_load(template)["storage"]["postgres"]
    check(storage["host"] == "postgres" and storage["password_file"].startswith(
          [t for t, s in mounts("cloud-sync").items() if s == "db-secret"][0]),
          "compose: cloud-sync reaches postgres with the password from the shared secret volume")
    check(services["postgres"]["environment"].get("POSTGRES_PASSWORD_FILE", "").startswith("/run/db-secret/")
          and "POSTGRES_PASSWORD" not in services["postgres"]["environment"],
          "compose: PostgreSQL's password comes from a file, never the environment")


# --- Kubernetes --------------------------------------------------------------------------------

def kubernetes_checks(directory):
    kustomization = yaml.safe_load(open(os.path.join(directory, "kustomization.yaml")))
    documents = []
    for resource in kustomization["resources"]:
        documents += [d for d in yaml.safe_load_all(open(os.path.join(directory, resource))) if d]
    kinds = {d["kind"]: d for d in documents}
    check(set(kinds) >= {"Deployment", "Service", "ConfigMap", "PodDisruptionBudget"},
          f"kubernetes: Deployment, Service, ConfigMap, PodDisruptionBudget ({', '.join(kinds)})")
    for d in documents:
        check(d.get("apiVersion") in {"v1", "apps/v1", "policy/v1"} and d.get("metadata", {}).get("name"),
              f"kubernetes: {d['kind']} has a stable apiVersion and a name")
    deployment = kinds["Deployment"]
    spec = deployment["spec"]
    pod = spec["template"]["spec"]
    container = pod["containers"][0]
    check(spec.get("replicas", 1) >= 2, f"kubernetes: {spec.get('replicas')} replicas")
    check(spec["selector"]["matchLabels"].items() <= spec["template"]["metadata"]["labels"].items(),
          "kubernetes: the Deployment's selector matches its pods")
    for probe in ("readinessProbe", "livenessProbe"):
        get = container.get(probe, {}).get("httpGet", {})
        check(get.get("path") == "/healthz" and get.get("port") in ("http", 8443), f"kubernetes: {probe} GET /healthz")
    resources = container.get("resources", {})
    check({"cpu", "memory"} <= set(resources.get("requests", {})) and "memory" in resources.get("limits", {}),
          "kubernetes: cpu/memory requests and a memory limit")
    pod_security, security = pod.get("securityContext", {}), container.get("securityContext", {})
    check(pod_security.get("runAsNonRoot") is True and pod_security.get("runAsUser", 0) != 0,
          "kubernetes: pods run as a non-root user")
    check(security.get("readOnlyRootFilesystem") is True and security.get("allowPrivilegeEscalation") is False
          and security.get("capabilities", {}).get("drop") == ["ALL"],
          "kubernetes: read-only root filesystem, no privilege escalation, no capabilities")
    check(pod.get("terminationGracePeriodSeconds", 30) > 30, "kubernetes: termination grace period above the 30 s shutdown")
    volumes = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    secret = [v for v in volumes.values() if "secret" in v]
    check(len(secret) == 1 and not any(d["kind"] == "Secret" for d in documents),
          "kubernetes: the Postgres password is a referenced Secret, not a committed one")
    configmap = kinds["ConfigMap"]
    config = yaml.safe_load(configmap["data"]["cloud-sync.yaml"])
    password_file = config["storage"]["postgres"]["password_file"]
    secret_item = secret[0]["secret"]["items"][0]["path"] if secret else "?"
    check(secret and password_file == os.path.join(mounts[secret[0]["name"]], secret_item),
          f"kubernetes: the config's password_file {password_file} is the mounted Secret")
    config_volume = [n for n, v in volumes.items() if v.get("configMap", {}).get("name") == configmap["metadata"]["name"]]
    check(bool(config_volume) and container["args"][-1] == os.path.join(mounts[config_volume[0]], "cloud-sync.yaml"),
          "kubernetes: the container reads the ConfigMap's cloud-sync.yaml")
    service = kinds["Service"]["spec"]
    check(service["selector"].items() <= spec["template"]["metadata"]["labels"].items()
          and service["ports"][0]["targetPort"] in [p["name"] for p in container["ports"]],
          "kubernetes: the Service selects the pods and targets their named port")


def main():
    root, toolchain_lib, gateway, cloud_sync = sys.argv[1:5]
    deploy = os.path.join(root, "Deploy")
    toolchain_lib = os.path.realpath(toolchain_lib)
    dockerfile_checks(os.path.join(deploy, "docker/gateway.Dockerfile"), gateway, toolchain_lib, 8080)
    dockerfile_checks(os.path.join(deploy, "docker/cloud-sync.Dockerfile"), cloud_sync, toolchain_lib, 8443)
    compose_checks(os.path.join(deploy, "compose/compose.yaml"), root)
    kubernetes_checks(os.path.join(deploy, "kubernetes"))
    if failures:
        print(f"{len(failures)} deploy file check(s) failed", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
