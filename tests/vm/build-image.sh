#!/usr/bin/env bash
# Builds a test guest for the real-guest suite from packages this machine can fetch, cached in
# tests/vm/.cache keyed on the inputs, never touching this machine's /boot and mounting nothing
# on it:
#   kernel   Debian's linux-image (apt-get download + dpkg -x): the ELF vmlinux from its vmlinuz
#            (QEMU boots it through the PVH entry, twice as fast under TCG) and the modules
#   initrd   busybox + the virtio/ext4 modules + guest/initramfs/init
#   base     minimal: busybox init, guest/rootfs, a jlink'd Java 17 with its libraries and CDS
#            archive, Debian's /usr/sbin/qemu-ga with its libraries (the reference agent)
#            debian:  debootstrap minbase + systemd, udev, qemu-guest-agent, openjdk-17 (root only)
#   root     base + the freshly built jqga distribution as an ext4 image (mke2fs -d)
#   data     the second disk: an empty ext4 filesystem the tests own
# Prints the artefacts as shell assignments on stdout (KERNEL= INITRD= ROOT= DATA=); progress and
# timings go to stderr.
# Usage: build-image.sh [--image minimal|debian] [JQGA_HOME]   (default packaging/target/jqga)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd -P)
repo=$(cd "$here/../.." && pwd -P)
image=minimal
if [ "${1:-}" = --image ]; then
    image=$2
    shift 2
fi
case $image in minimal | debian) ;; *) echo "vm-image: no image '$image' (minimal, debian)" >&2; exit 2 ;; esac
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
die() { say "$*"; exit 1; }
# seconds since $1 (date +%s%N), one decimal
since() { local ms=$((($(date +%s%N) - $1) / 1000000)); printf "%d.%d s" $((ms / 1000)) $((ms % 1000 / 100)); }
hash_of() { sha256sum | cut -c1-16; }
hash_tree() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum; find . -type l -printf '%p -> %l\n' | sort) | hash_of; }
# keep only the newest entry of each kind: $1 = prefix, $2 = the one to keep
prune() { find "$cache" -maxdepth 1 -name "$1-*" ! -name "$(basename "$2")" -exec rm -rf {} +; }
pkg_version() { dpkg-query -W -f '${Version}' "$1"; }
scratch() { mktemp -d "$cache/tmp.XXXXXX"; }
# runs a command chrooted into $1 with its own /proc and /dev, in a private mount namespace (so
# nothing stays mounted on this machine, whatever happens)
in_chroot() {
    local tree=$1
    shift
    unshare --mount --fork sh -c 'tree=$1; shift; mount -t proc proc "$tree/proc" &&
        mount --rbind /dev "$tree/dev" && exec chroot "$tree" "$@"' sh "$tree" "$@"
}

[ -x "$jqga_home/bin/jqga" ] || die "no jqga distribution in $jqga_home (mvn package first)"

# --- kernel: Debian's current linux-image for this machine's release; sets kver, kdir
kernel_package() { apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -1; }
build_kernel() {
    local kpkg modules="virtio_pci virtio_blk virtio_console virtio_rng crc32c_generic ext4"
    kpkg=$(kernel_package)
    if [ -z "$kpkg" ] && [ "$(id -u)" = 0 ]; then
        say "apt-get update (a fresh machine has no package lists)"
        apt-get update -qq >&2 || true
        kpkg=$(kernel_package)
    fi
    if [ -z "$kpkg" ]; then # offline: the kernel already in the cache will do
        kdir=$(ls -d "$cache"/kernel-*/ 2>/dev/null | tail -1)
        [ -n "$kdir" ] || die "apt-cache knows no linux-image-amd64 and none is cached"
        kpkg=linux-image-$(basename "$kdir" | sed 's/^kernel-//')
    fi
    kver=${kpkg#linux-image-}
    kdir=$cache/kernel-$kver
    if [ -f "$kdir/vmlinux" ]; then
        say "kernel $kver: cached"
        return
    fi
    local t work mods line f vmlinuz off
    t=$(date +%s%N)
    work=$(scratch)
    (cd "$work" && apt-get download -q "$kpkg" >/dev/null 2>&1) || die "apt-get download $kpkg failed"
    dpkg -x "$work"/*.deb "$work/x"
    busybox depmod -b "$work/x" "$kver"
    mods=$work/x/lib/modules/$kver
    mkdir -p "$work/out/modules"
    # the modules the initramfs loads and everything they depend on, as modules.dep lists them
    for m in $modules; do
        line=$(grep -E "/${m//_/[-_]}\.ko:" "$mods/modules.dep") || die "no module $m in $kpkg"
        for f in ${line%%:*} ${line#*:}; do
            install -D -m 0644 "$mods/$f" "$work/out/modules/lib/modules/$kver/$f"
        done
    done
    cp "$mods/modules.builtin" "$mods/modules.order" "$work/out/modules/lib/modules/$kver/"
    busybox depmod -b "$work/out/modules" "$kver"
    # the ELF vmlinux inside vmlinuz: the xz stream after the first 0xFD '7zXZ' 0x00 magic
    vmlinuz=$work/x/boot/vmlinuz-$kver
    off=$(grep -obUaP '\xfd7zXZ\x00' "$vmlinuz" | head -1 | cut -d: -f1)
    [ -n "$off" ] || die "no xz payload in $vmlinuz"
    { tail -c +$((off + 1)) "$vmlinuz" || true; } | xz -dcq --single-stream >"$work/out/vmlinux"
    [ "$(head -c 4 "$work/out/vmlinux" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] || die "vmlinux is no ELF"
    cp "$work/x/boot/config-$kver" "$work/out/config"
    prune kernel "$kdir"
    mv "$work/out" "$kdir"
    say "kernel $kver: downloaded and extracted in $(since "$t")"
}

# --- initramfs; sets initrd
build_initrd() {
    local key work t
    key=$( (echo "$kver $(busybox 2>&1 | head -1)"; sha256sum /bin/busybox; cat "$guest/initramfs/init") | hash_of)
    initrd=$cache/initrd-$key.img
    if [ -f "$initrd" ]; then
        say "initramfs: cached"
        return
    fi
    t=$(date +%s%N)
    work=$(scratch)
    mkdir -p "$work/root/bin" "$work/root/proc" "$work/root/sys" "$work/root/dev"
    cp /bin/busybox "$work/root/bin/busybox"
    cp -a "$kdir/modules/lib" "$work/root/"
    install -m 0755 "$guest/initramfs/init" "$work/root/init"
    (cd "$work/root" && find . | cpio -o -H newc --quiet -R 0:0 | gzip -1 >"$work/initrd.img")
    prune initrd "$initrd"
    mv "$work/initrd.img" "$initrd"
    say "initramfs: built in $(since "$t")"
}

# --- minimal base tree; sets base, bkey, guest_java
# What the agent needs (jdeps over its jars) + java.management for bin/jqga-cds's training run.
jlink_modules=${JQGA_VM_JLINK_MODULES:-java.base,java.logging,java.management,jdk.unsupported}
base_minimal() {
    local jdk= j qga_bin=/usr/sbin/qemu-ga work tree t
    # JDK 17 for jlink: $JAVA_HOME when it is a 17 with jmods, else Debian's
    for j in "${JAVA_HOME:-}" /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/*17*; do
        if [ -n "$j" ] && [ -d "$j/jmods" ] && grep -q '^JAVA_VERSION="17' "$j/release" 2>/dev/null; then
            jdk=$j
            break
        fi
    done
    [ -n "$jdk" ] || die "no JDK 17 with jmods (apt-get install openjdk-17-jdk-headless)"
    [ -x $qga_bin ] || die "$qga_bin missing (apt-get install qemu-guest-agent)"
    guest_java=/opt/java/bin/java
    bkey=$( (echo "$(busybox 2>&1 | head -1) $jlink_modules $(pkg_version qemu-guest-agent)"; cat "$jdk/release"
        sha256sum /bin/busybox $qga_bin "$jdk/lib/modules"; hash_tree "$guest/rootfs"; declare -f base_minimal) | hash_of)
    base=$cache/base-$bkey
    if [ -d "$base" ]; then
        say "minimal base tree: cached"
        return
    fi
    t=$(date +%s%N)
    work=$(scratch)
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
    mv "$tree" "$base"
    say "minimal base tree (busybox, Java 17 jlink + CDS, qemu-ga): built in $(since "$t")"
}

# --- debian base tree: debootstrap minbase + systemd + udev + the reference agent + Java 17;
# sets base, bkey, guest_java
base_debian() {
    local suite=bookworm mirror=${JQGA_VM_MIRROR:-http://deb.debian.org/debian} work tree t
    local packages=systemd,systemd-sysv,udev,dbus,qemu-guest-agent,openjdk-17-jre-headless,kmod,util-linux-extra,iproute2
    [ "$(id -u)" = 0 ] || die "the debian image needs root (debootstrap, chroot)"
    command -v debootstrap >/dev/null || die "debootstrap missing (apt-get install debootstrap)"
    guest_java=/usr/lib/jvm/java-17-openjdk-amd64/bin/java
    bkey=$( (echo "$suite $mirror $packages"; hash_tree "$guest/debian"; cat "$guest/rootfs/etc/qga/probe"
        declare -f base_debian) | hash_of)
    base=$cache/debtree-$bkey
    if [ -d "$base" ]; then
        say "debian base tree: cached"
        return
    fi
    t=$(date +%s%N)
    work=$(scratch)
    tree=$work/tree
    # in a private mount namespace: debootstrap mounts /proc and /sys in the tree
    if ! unshare --mount --fork debootstrap --variant=minbase --include=$packages $suite "$tree" "$mirror" \
        >"$work/debootstrap.log" 2>&1; then
        tail -5 "$work/debootstrap.log" >&2
        die "debootstrap failed"
    fi
    rm -rf "$tree"/var/cache/apt/archives/*.deb "$tree"/var/lib/apt/lists/* "$tree/etc/resolv.conf"
    cp -a "$guest/debian/." "$tree/"
    install -D -m 0755 "$guest/rootfs/etc/qga/probe" "$tree/etc/qga/probe"
    mkdir -p "$tree/mnt/data"
    prune debtree "$base"
    mv "$tree" "$base"
    say "debian base tree (debootstrap $suite + systemd, udev, qemu-guest-agent, openjdk-17): built in $(since "$t")"
}

# --- root image: base + jqga; sets root
build_root() {
    local jhash rkey work t size cds_note=
    jhash=$(hash_tree "$jqga_home")
    rkey=$( (echo "$bkey $jhash"; declare -f build_root in_chroot) | hash_of)
    root=$cache/$image-$rkey.img
    if [ -f "$root" ]; then
        say "$image root image: cached"
        return
    fi
    t=$(date +%s%N)
    work=$(scratch)
    # a copy of the base with hard links, so the base stays untouched and nothing large is copied
    cp -al "$base" "$work/tree"
    cp -a "$jqga_home" "$work/tree/opt/jqga"
    if [ -x "$work/tree/opt/jqga/bin/jqga-cds" ]; then
        # the distribution's class-data archive belongs to the JVM and the paths it was made
        # with: remake it with the guest's JVM at the guest's paths, as a package's install step
        # would
        rm -f "$work/tree/opt/jqga/lib/jqga.jsa"
        if [ "$(id -u)" = 0 ] && in_chroot "$work/tree" env JQGA_JAVA="$guest_java" /opt/jqga/bin/jqga-cds \
            >"$work/cds.log" 2>&1; then
            cds_note=", AppCDS archive for the guest's JVM"
        else
            say "no AppCDS archive for the guest (needs root, unshare, chroot): $(tail -3 "$work/cds.log")"
        fi
        rm -rf "${work:?}/tree/tmp/"* # the dump's leftovers, if any
    fi
    size=$(($(du -sm "$work/tree" | cut -f1) + 128))
    truncate -s "${size}M" "$work/root.img"
    mke2fs -q -F -t ext4 -L root -d "$work/tree" "$work/root.img" >&2
    prune "$image" "$root"
    mv "$work/root.img" "$root"
    say "$image root image (${size} MiB, jqga $jhash$cds_note): built in $(since "$t")"
}

build_data() {
    data=$cache/data.img
    if [ ! -f "$data" ]; then
        truncate -s 64M "$data.tmp"
        mke2fs -q -F -t ext4 -L data "$data.tmp" >&2
        mv "$data.tmp" "$data"
    fi
}

build_kernel
build_initrd
base_$image
build_root
build_data
say "$image ready in $(since "$t0")"
printf 'KERNEL=%q\nINITRD=%q\nROOT=%q\nDATA=%q\nKERNEL_VERSION=%q\n' "$kdir/vmlinux" "$initrd" "$root" "$data" "$kver"
