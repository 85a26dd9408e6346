#!/usr/bin/env bash
# The real-guest suite: builds (or finds cached) the minimal test guest, boots it once per agent
# under QEMU (Debian's qemu-ga as the reference, then jqga) and runs the same checks against each
# over the virtio-serial chardev. One line per check, then "N passed, N failed"; exit 1 on a
# failure. Arguments go to the driver (dev.jqga.tests.vm.VmSuite):
#   --agents qemu-ga,jqga   which agents, in this order (default both)
#   --only c1,c2            only these checks (first-sync and guest-info always run)
#   --list                  the checks and the agent commands each needs
#   --image debian          the debian image (debootstrap + systemd + udev; root only, a cold
#                           build takes minutes) instead of the minimal one
#   JQGA_VM_JAVA_OPTS=-Djqga.vm.keep-logs=true keeps the logs of a passing run as well
# It tests packaging/target/jqga as built; it builds it only when it is missing
# (mvn package -DskipTests), so run `mvn package` after changing the agent.
set -euo pipefail
cd "$(dirname "$0")/../.."
dist=${JQGA_VM_DIST:-packaging/target/jqga} # another distribution to test: JQGA_VM_DIST=DIR
classes=tests/target/test-classes
cpfile=tests/target/vm-classpath.txt
if [ ! -x $dist/bin/jqga ] || [ ! -d $classes/dev/jqga/tests/vm ] || [ ! -f $cpfile ]; then
    echo "vm: building the distribution and the test driver (mvn package -DskipTests)"
    mvn -B -q -ntp package -DskipTests
fi
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java=$JAVA_HOME/bin/java; else java=java; fi
case " $* " in
    *" --list "*) exec "$java" -cp "$classes:$(cat $cpfile)" dev.jqga.tests.vm.VmSuite --list ;;
esac
image=minimal
args=()
while [ $# -gt 0 ]; do
    case $1 in
        --image) image=$2; shift 2 ;;
        *) args+=("$1"); shift ;;
    esac
done
artefacts=$(tests/vm/build-image.sh --image "$image" "$dist")
eval "$artefacts"
# shellcheck disable=SC2086 # JQGA_VM_JAVA_OPTS: driver properties, e.g. -Djqga.vm.idle-seconds=60
exec "$java" ${JQGA_VM_JAVA_OPTS:-} -cp "$classes:$(cat $cpfile)" dev.jqga.tests.vm.VmSuite \
    --kernel "$KERNEL" --initrd "$INITRD" --root "$ROOT" --data "$DATA" ${args[@]+"${args[@]}"}
