#!/usr/bin/env bash
# The arm64 build (Raspberry Pi 4/5) runs: the cross-compiled programs from
# `board/mkdeb.sh --arch arm64` are started with qemu-user against the arm64
# sysroot and must print their version, the same settings table as this
# machine's build, and verify the packaged models.
# Skipped (77) unless that build exists: the cross build needs a 2 GB arm64
# sysroot and a full cross compile, too heavy for the default suite. To run it:
#   board/mkdeb.sh --arch arm64 && ctest -R test_device_arm64
set -euo pipefail
bin=${GREETER_BUILD_DIR:?}
src=${GREETER_SOURCE_DIR:?}
sysroot=${GREETER_SYSROOT:-$src/build/cross/sysroot-arm64}
stage=$src/build/pkg-arm64/stage
deb=$(ls -t "$src"/build/deb/greeter_*_arm64.deb 2>/dev/null | head -n1 || true)
[ -x "$stage/usr/bin/greeter" ] && [ -n "$deb" ] ||
    { echo "SKIP: no arm64 build (run board/mkdeb.sh --arch arm64 first; not part of the default suite)" >&2; exit 77; }
command -v qemu-aarch64-static >/dev/null || { echo "SKIP: qemu-user-static is not installed" >&2; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
run() { qemu-aarch64-static -L "$sysroot" "$@"; }

file -b "$stage/usr/bin/greeterd" | grep -q 'ARM aarch64' || fail "greeterd is not an arm64 program"
[ "$(dpkg-deb -f "$deb" Architecture)" = arm64 ] || fail "$deb is not Architecture: arm64"
want=$(sed -n 's/^project(greeter VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
[ "$(run "$stage/usr/bin/greeter" --version)" = "greeter $want" ] || fail "arm64 greeter --version"
[ "$(run "$stage/usr/bin/greeterd" --version)" = "greeterd $want" ] || fail "arm64 greeterd --version"
# Same table of settings as the native build, apart from the compiled-in paths.
norm() { sed -e 's#^dir = .*/models.*#dir = MODELS#' -e 's#^demo_video = .*#demo_video = DEMO#'; }
diff <(run "$stage/usr/bin/greeter" config --defaults | norm) <("$bin/greeter" config --defaults | norm) >&2 ||
    echo "note: the arm64 build is older or newer than this build's settings table (rebuild it)" >&2
# (output captured first: grep -q closing the pipe early would fail the pipeline)
defaults=$(run "$stage/usr/bin/greeter" config --defaults)
grep -q '^dir = /usr/share/greeter/models$' <<<"$defaults" ||
    fail "arm64 build lacks models.dir=/usr/share/greeter/models"
# sha256 of every model, computed by arm64 code (libsodium) under emulation.
models=${GREETER_MODELS_DIR:-$src/models/data}
if [ -f "$models/face_recognition_model.bin" ]; then
    out=$(run "$stage/usr/bin/greeter" --models.dir="$models" models verify)
    grep -q '"ok":true' <<<"$out" ||
        fail "arm64 greeter models verify"
fi
echo "arm64 smoke test ok"
