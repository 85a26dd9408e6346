#!/usr/bin/env bash
# The whole test suite: installs what the tests need (as root, with apt) when missing, then
# builds everything and runs every test (unit, black-box protocol and differential tests against
# Debian's qemu-ga, and the real-guest VM suite).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v qemu-ga >/dev/null 2>&1 || [ -x /usr/sbin/qemu-ga ] || need+=(qemu-guest-agent)
command -v socat >/dev/null 2>&1 || need+=(socat)
command -v qemu-system-x86_64 >/dev/null 2>&1 || need+=(qemu-system-x86)
[ -x /bin/busybox ] || need+=(busybox-static)
command -v mke2fs >/dev/null 2>&1 || need+=(e2fsprogs)
command -v cpio >/dev/null 2>&1 || need+=(cpio)
command -v xz >/dev/null 2>&1 || need+=(xz-utils)
if ((${#need[@]})); then
    if [ "$(id -u)" -ne 0 ]; then
        echo "run-all: missing packages ${need[*]} and not root to install them" >&2
        exit 1
    fi
    echo "run-all: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

exec mvn -B -ntp verify "$@"
