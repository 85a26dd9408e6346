#!/usr/bin/env bash
# Builds the minimal test guest for the real-guest suite from packages this machine can fetch,
# cached in tests/vm/.cache keyed on the inputs, never touching this machine's /boot:
#   kernel   Debian's linux-image (apt-get download + dpkg -x): the ELF vmlinux from its vmlinuz
#            (QEMU boots it through the PVH entry, twice as fast under TCG) and the modules
#   initrd   busybox + the virtio/ext4 modules + guest/initramfs/init
#   base     the root tree: busybox init, guest/rootfs, a jlink'd Java 17 with its libraries and
#            CDS archive, Debian's /usr/sbin/qemu-ga with its libraries (the reference agent)
#   root     base + the freshly built jqga distribution, as an ext4 image (mke2fs -d, no mounts)
#   data     the second disk: an empty ext4 filesystem the tests own
# Prints the artefacts as shell assignments on stdout (KERNEL= INITRD= ROOT= DATA=); progress and
# timings go to stderr. Usage: build-image.sh [JQGA_HOME]   (default packaging/target/jqga)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd -P)
repo=$(cd "$here/../.." && pwd -P)
jqga_home=$(cd "${1:-$repo/packaging/target/jqga}" && pwd -P)
cache=${JQGA_VM_CACHE:-$here/.cache}
guest=$here/guest
export LC_ALL=C
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9 # one builder at a time; others wait and then find the cache warm
trap 'rm -rf "$cache"/tmp.*' EXIT

t0=$(date +%s%N)
say() { printf "vm-image: %s\n" "$*" >&2; }
# seconds since $1 (date +%s%N), one decimal
since() { local ms=$((($(date +%s%N) - $1) / 1000000)); printf "%d.%d s" $((ms / 1000)) $((ms % 1000 / 100)); }
hash_of() { sha256sum | cut -c1-16; }
hash_tree() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum; find . -type l -printf '%p -> %l\n' | sort) | hash_of; }
# keep only the newest entry of each kind: $1 = prefix, $2 = the one to keep
prune() { find "$cache" -maxdepth 1 -name "$1-*" ! -name "$(basename "$2")" -exec rm -rf {} +; }
pkg_version() { dpkg-query -W -f '${Version}' "$1"; }

[ -x "$jqga_home/bin/jqga" ] || { echo "vm-image: no jqga distribution in $jqga_home (mvn package first)" >&2; exit 1; }

# --- JDK 17 for jlink: $JAVA_HOME when it is a 17 with jmods, else Debian's
jdk=
for j in "${JAVA_HOME:-}" /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/*17*; do
    if [ -n "$j" ] && [ -d "$j/jmods" ] && grep -q '^JAVA_VERSION="17' "$j/release" 2>/dev/null; then
        jdk=$j
        break
    fi
done
[ -n "$jdk" ] || { echo "vm-image: no JDK 17 with jmods (apt-get install openjdk-17-jdk-headless)" >&2; exit 1; }

# --- kernel: Debian's current linux-image for this machine's release
kernel_package() { apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -1; }
kpkg=$(kernel_package)
if [ -z "$kpkg" ] && [ "$(id -u)" = 0 ]; then
    say "apt-get update (a fresh machine has no package lists)"
    apt-get update -qq >&2 || true
    kpkg=$(kernel_package)
fi
if [ -z "$kpkg" ]; then
    # offline: the newest kernel already in the cache will do
    kdir=$(ls -d "$cache"/kernel-*/ 2>/dev/null | tail -1)
    [ -n "$kdir" ] || { echo "vm-image: apt-cache knows no linux-image-amd64 and none is cached" >&2; exit 1; }
    kpkg=linux-image-$(basename "$kdir" | sed 's/^kernel-//')
fi
kver=${kpkg#linux-image-}
kdir=$cache/kernel-$kver
modules="virtio_pci virtio_blk virtio_console virtio_rng crc32c_generic ext4"
if [ ! -f "$kdir/vmlinux" ]; then
    t=$(date +%s%N)
    work=$(mktemp -d "$cache/tmp.XXXXXX")
    (cd "$work" && apt-get download -q "$kpkg" >/dev/null 2>&1) || { rm -rf "$work"; echo "vm-image: apt-get download $kpkg failed" >&2; exit 1; }
    dpkg -x "$work"/*.deb "$work/x"
    busybox depmod -b "$work/x" "$kver"
    mods=$work/x/lib/modules/$kver
    mkdir -p "$work/out/modules"
    # the modules we load and everything they depend on, as modules.dep lists them
    for m in $modules; do
        line=$(grep -E "/${m//_/[-_]}\.ko:" "$mods/modules.dep") || { echo "vm-image: no module $m in $kpkg" >&2; exit 1; }
        for f in ${line%%:*} ${line#*:}; do
            install -D -m 0644 "$mods/$f" "$work/out/modules/lib/modules/$kver/$f"
        done
    done
    cp "$mods/modules.builtin" "$mods/modules.order" "$work/out/modules/lib/modules/$kver/"
    busybox depmod -b "$work/out/modules" "$kver"
    # the ELF vmlinux inside vmlinuz: the xz stream after the first 0xFD '7zXZ' 0x00 magic
    vmlinuz=$work/x/boot/vmlinuz-$kver
    off=$(grep -obUaP '\xfd7zXZ\x00' "$vmlinuz" | head -1 | cut -d: -f1)
    [ -n "$off" ] || { echo "vm-image: no xz payload in $vmlinuz" >&2; exit 1; }
    { tail -c +$((off + 1)) "$vmlinuz" || true; } | xz -dcq --single-stream >"$work/out/vmlinux"
    [ "$(head -c 4 "$work/out/vmlinux" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] || { echo "vm-image: vmlinux is no ELF" >&2; exit 1; }
    cp "$work/x/boot/config-$kver" "$work/out/config"
    prune kernel "$kdir"
    mv "$work/out" "$kdir"
    rm -rf "$work"
    say "kernel $kver: downloaded and extracted in $(since "$t")"
else
    say "kernel $kver: cached"
fi

# --- initramfs
bb_version=$(busybox 2>&1 | head -1)
ikey=$( (echo "$kver $bb_version"; sha256sum /bin/busybox; cat "$guest/initramfs/init") | hash_of)
initrd=$cache/initrd-$ikey.img
if [ ! -f "$initrd" ]; then
    t=$(date +%s%N)
    work=$(mktemp -d "$cache/tmp.XXXXXX")
    mkdir -p "$work/root/bin" "$work/root/proc" "$work/root/sys" "$work/root/dev"
    cp /bin/busybox "$work/root/bin/busybox"
    cp -a "$kdir/modules/lib" "$work/root/"
    install -m 0755 "$guest/initramfs/init" "$work/root/init"
    (cd "$work/root" && find . | cpio -o -H newc --quiet -R 0:0 | gzip -1 >"$work/initrd.img")
    prune initrd "$initrd"
    mv "$work/initrd.img" "$initrd"
    rm -rf "$work"
    say "initramfs: built in $(since "$t")"
else
    say "initramfs: cached"
fi

# --- base tree: everything but jqga
qga_bin=/usr/sbin/qemu-ga
[ -x $qga_bin ] || { echo "vm-image: $qga_bin missing (apt-get install qemu-guest-agent)" >&2; exit 1; }
# what the agent needs (jdeps over its jars) + java.management for bin/jqga-cds's training run
jlink_modules=${JQGA_VM_JLINK_MODULES:-java.base,java.logging,java.management,jdk.unsupported}
bkey=$( (echo "$bb_version $jlink_modules $(pkg_version qemu-guest-agent)"; cat "$jdk/release"; sha256sum /bin/busybox $qga_bin "$jdk/lib/modules"; hash_tree "$guest/rootfs"; sed -n '/^# --- base/,/^# --- end base/p' "$0") | hash_of)
base=$cache/base-$bkey
if [ ! -d "$base" ]; then
    t=$(date +%s%N)
    work=$(mktemp -d "$cache/tmp.XXXXXX")
    tree=$work/tree
    mkdir -p "$tree"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,run,tmp,root,mnt/data,opt,var/log,lib64,lib/x86_64-linux-gnu,usr/lib/x86_64-linux-gnu}
    ln -s ../run "$tree/var/run"
    cp /bin/busybox "$tree/bin/busybox"
    busybox --list-full | while read -r applet; do
        [ -e "$tree/$applet" ] || ln -s /bin/busybox "$tree/$applet"
    done
    cp -a "$guest/rootfs/." "$tree/"
    chmod 0600 "$tree/etc/shadow"
    chmod 0700 "$tree/root"
    "$jdk/bin/jlink" --add-modules "$jlink_modules" --strip-debug --no-header-files --no-man-pages \
        --output "$tree/opt/java"
    install -m 0755 $qga_bin "$tree/usr/sbin/qemu-ga"
    # the shared libraries of java, its .so files and qemu-ga, at the paths the loader looks in
    find "$tree/opt/java" "$tree/usr/sbin/qemu-ga" -type f \( -name '*.so' -o -perm -u+x \) -print0 |
        xargs -0 ldd 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }' |
        sort -u | while read -r lib; do
            case $lib in "$tree"/*) continue ;; esac
            mkdir -p "$tree$(dirname "$lib")"
            cp -L "$lib" "$tree$lib"
        done
    ldconfig -r "$tree"
    # the default CDS archive of this runtime (classes.jsa), made by the runtime itself
    "$tree/opt/java/bin/java" -Xshare:dump -Xlog:disable >/dev/null
    prune base "$base"
    mv "$work/tree" "$base"
    rm -rf "$work"
    say "base tree (busybox, Java 17 jlink + CDS, qemu-ga): built in $(since "$t")"
else
    say "base tree: cached"
fi
# --- end base

# --- root image: base + jqga
jhash=$(hash_tree "$jqga_home")
rkey=$( (echo "$bkey $jhash"; sed -n '/^# --- root/,/^# --- end root/p' "$0") | hash_of)
root=$cache/minimal-$rkey.img
if [ ! -f "$root" ]; then
    t=$(date +%s%N)
    work=$(mktemp -d "$cache/tmp.XXXXXX")
    # a copy of the base with hard links, so the base stays untouched and nothing large is copied
    cp -al "$base" "$work/tree"
    cp -a "$jqga_home" "$work/tree/opt/jqga"
    cds_note=
    if [ -x "$work/tree/opt/jqga/bin/jqga-cds" ]; then
        # the distribution's class-data archive belongs to the JVM and the paths it was made
        # with: remake it with the guest's runtime at the guest's paths, as a package's install
        # step would (a chroot with its own /proc and /dev, in a private mount namespace)
        rm -f "$work/tree/opt/jqga/lib/jqga.jsa"
        if [ "$(id -u)" = 0 ] && unshare --mount --fork sh -c 'mount -t proc proc "$1/proc" &&
            mount --rbind /dev "$1/dev" && chroot "$1" env JQGA_JAVA=/opt/java/bin/java /opt/jqga/bin/jqga-cds' \
            sh "$work/tree" >"$work/cds.log" 2>&1; then
            cds_note=", AppCDS archive for the guest's JVM"
        else
            say "no AppCDS archive for the guest (needs root, unshare, chroot): $(tail -3 "$work/cds.log" 2>/dev/null)"
        fi
        rm -rf "$work/tree/tmp/"* # the dump's leftovers, if any
    fi
    size=$(($(du -sm "$work/tree" | cut -f1) + 128))
    truncate -s "${size}M" "$work/root.img"
    mke2fs -q -F -t ext4 -L root -d "$work/tree" "$work/root.img" >&2
    prune minimal "$root"
    mv "$work/root.img" "$root"
    rm -rf "$work"
    say "root image (${size} MiB, jqga $jhash$cds_note): built in $(since "$t")"
else
    say "root image: cached"
fi
# --- end root

data=$cache/data.img
if [ ! -f "$data" ]; then
    truncate -s 64M "$data.tmp"
    mke2fs -q -F -t ext4 -L data "$data.tmp" >&2
    mv "$data.tmp" "$data"
fi

say "ready in $(since "$t0")"
printf 'KERNEL=%q\nINITRD=%q\nROOT=%q\nDATA=%q\nKERNEL_VERSION=%q\n' "$kdir/vmlinux" "$initrd" "$root" "$data" "$kver"
