#!/usr/bin/env bash
# Installs what Skiff and its test suite need on a fresh Debian machine: npm packages always; Debian packages
# (containerd, runc, CNI plugins, registry, image tools; qemu and the micro-VM guest kernel's build tools) when
# running as root and they are missing. The guest kernel itself is built on first use and cached in ~/.cache/skiff.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
debs=(containerd runc containernetworking-plugins iproute2 iptables conntrack docker-registry skopeo umoci busybox-static python3 chromium wrk
  qemu-system-x86 linux-source-6.1 flex bison bc libelf-dev make gcc libc6-dev xz-utils)
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  for p in "${debs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: apt-get install ${missing[*]}" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
fi
cd "$root"
if [ ! -d node_modules/better-sqlite3/build ] || [ package.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund --loglevel=error >&2
fi
