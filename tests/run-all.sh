#!/usr/bin/env bash
# The whole test suite: installs what the tests need (as root, with apt) when missing, then
# builds everything and runs every test (unit, black-box protocol and differential tests against
# Debian's qemu-ga), then the real-guest VM suite (tests/vm/run.sh).
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
# the real-guest suite's debian image (tests/vm/run.sh --image debian)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
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

rc=0
mvn -B -ntp verify "$@" || rc=$?

# The real-guest suite (tests/vm/README.md): boots the built distribution in a QEMU guest and
# runs the same checks against it and against Debian's qemu-ga. JQGA_SKIP_VM=1 leaves it out.
if [ "${JQGA_SKIP_VM:-0}" != 1 ]; then
    if [ -x packaging/target/jqga/bin/jqga ]; then
        tests/vm/run.sh || rc=1
    else
        echo "run-all: no distribution was built, so the real-guest suite did not run" >&2
        rc=1
    fi
fi
exit $rc
