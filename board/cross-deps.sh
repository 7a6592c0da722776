#!/bin/sh
# board/cross-deps.sh [SYSROOT] - what cross-building for arm64 needs on a
# Debian 12 amd64 machine. Idempotent; run as root.
#  - on the machine: Debian's cross toolchain (crossbuild-essential-arm64),
#    qemu-user-static (runs single arm64 programs), mmdebstrap, dpkg-dev;
#  - SYSROOT (default build/cross/sysroot-arm64): an arm64 Debian root with the
#    -dev packages of every library Greeter links, unpacked by mmdebstrap
#    (--variant=extract: nothing runs; ~1.6 GB, ~30 s with a good mirror).
# The :arm64 -dev packages cannot go on the machine itself: OpenCV's and
# Tesseract's amd64 and arm64 -dev packages conflict.
# Not part of board/deps.sh: only `board/mkdeb.sh --arch arm64` and
# `board/mkimage.sh rpi4|rpi5` need it.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
sysroot=${1:-${GREETER_SYSROOT:-$root/build/cross/sysroot-arm64}}
# The -dev packages: every one board/deps.sh lists for the amd64 build (test
# tools aside), so the two stay in step.
DEV=$(sed -n '/^PKGS="/,/"/p' "$root/board/deps.sh" | tr ' "' '\n\n' | grep -- '-dev$' |
    grep -v -e cmocka -e clang -e build-essential | sort -u | tr '\n' ',')
DEV="libc6-dev,libstdc++-12-dev,${DEV%,}"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

missing=""
for p in crossbuild-essential-arm64 qemu-user-static mmdebstrap dpkg-dev; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "cross-deps: installing$missing"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

stamp="$sysroot/.greeter-sysroot"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$DEV" ]; then
    echo "cross-deps: sysroot $sysroot present"
else
    echo "cross-deps: unpacking the arm64 sysroot into $sysroot"
    rm -rf "$sysroot"
    mkdir -p "$(dirname "$sysroot")"
    $SUDO mmdebstrap --quiet --mode=root --variant=extract --arch=arm64 --include="$DEV" bookworm "$sysroot"
    echo "$DEV" >"$stamp"
fi
# What update-alternatives would have done (no maintainer scripts ran):
# libblas/liblapack from OpenBLAS.
ml="$sysroot/usr/lib/aarch64-linux-gnu"
for lib in libblas.so.3 libblas.so liblapack.so.3 liblapack.so libopenblas.so.0 libopenblas.so; do
    [ -e "$ml/$lib" ] && continue
    for impl in openblas-pthread blas lapack; do
        if [ -e "$ml/$impl/$lib" ]; then ln -sf "$impl/$lib" "$ml/$lib"; break; fi
    done
done
# Absolute symbolic links (libz.so -> /lib/...) would point into the build
# machine: make them relative inside the sysroot.
find "$sysroot/usr/lib" "$sysroot/lib" -type l -lname '/*' 2>/dev/null | while read -r l; do
    ln -sfr "$sysroot$(readlink "$l")" "$l"
done
# CMake package files with absolute library paths (dlib's, libjpeg-turbo's)
# would send the linker to the build machine's /usr/lib: point them into the sysroot.
grep -rl '[";]/usr/lib/aarch64-linux-gnu/' "$ml/cmake" 2>/dev/null | while read -r f; do
    sed -i "s#\\([\";]\\)/usr/lib/aarch64-linux-gnu/#\\1$sysroot/usr/lib/aarch64-linux-gnu/#g" "$f"
done
echo "cross-deps: done"
