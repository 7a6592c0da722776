#!/usr/bin/env bash
# board/mkimage.sh and its profiles, without building an image (that takes
# 20+ minutes and a download: docs/DEVICE.md, "For developers"):
#  - every profile names an architecture and either a boot method or why no
#    image is made; the Pi 4 profile boots through raspi-firmware with a Pi 4
#    device tree, console= entries only in CMDLINE for raspi-firmware's CONSOLES;
#  - usage and an unknown profile are refused with the list of profiles;
#  - rpi5 stops with exit 3 and says why and what to use instead;
#  - the scripts parse (sh -n) and, when shellcheck is installed, have no
#    warnings or errors.
set -euo pipefail
src=${GREETER_SOURCE_DIR:?}
fail() { echo "FAIL: $*" >&2; exit 1; }

for conf in "$src"/board/profiles/*.conf; do
    name=$(basename "$conf" .conf)
    # shellcheck disable=SC1090
    (ARCH=""; BOOT=""; UNSUPPORTED=""; . "$conf"
     [ -n "$ARCH" ] || fail "$name: no ARCH"
     [ -n "$BOOT" ] || [ -n "$UNSUPPORTED" ] || fail "$name: neither BOOT nor UNSUPPORTED") || exit 1
done
(. "$src/board/profiles/rpi4.conf"
 [ "$ARCH" = arm64 ] && [ "$BOOT" = raspi ] || fail "rpi4: ARCH=$ARCH BOOT=$BOOT"
 [ "$DTB" = bcm2711-rpi-4-b.dtb ] || fail "rpi4: DTB=$DTB"
 case " $KERNEL_PKGS " in *" raspi-firmware "*) ;; *) fail "rpi4: raspi-firmware not in KERNEL_PKGS" ;; esac
 case " $COMPONENTS " in *" non-free-firmware "*) ;; *) fail "rpi4: raspi-firmware needs non-free-firmware" ;; esac
 for a in $CMDLINE; do case "$a" in console=*) ;; *) fail "rpi4: '$a' in CMDLINE (raspi-firmware adds root=, rootwait)" ;; esac; done
) || exit 1
echo "profiles: ok"

rc=0; out=$(sh "$src/board/mkimage.sh" 2>&1) || rc=$?
[ "$rc" = 2 ] || fail "no arguments: exit $rc"
grep -q 'PROFILE' <<<"$out" || fail "no usage text: $out"
rc=0; out=$(sh "$src/board/mkimage.sh" no-such-board 2>&1) || rc=$?
[ "$rc" = 1 ] || fail "unknown profile: exit $rc"
grep -q 'have: .*rpi4.*x86-64' <<<"$out" || fail "unknown profile does not list the profiles: $out"
rc=0; out=$(sh "$src/board/mkimage.sh" rpi5 2>&1) || rc=$?
[ "$rc" = 3 ] || fail "rpi5: exit $rc, expected 3"
grep -q 'Raspberry Pi OS' <<<"$out" || fail "rpi5 does not say what to use instead: $out"
grep -q 'RP1' <<<"$out" || fail "rpi5 does not say why: $out"
echo "mkimage arguments and rpi5: ok"

for s in mkimage.sh imagecheck.sh bootcheck.sh; do
    sh -n "$src/board/$s" || fail "$s does not parse"
done
if command -v shellcheck >/dev/null; then
    for s in mkimage.sh imagecheck.sh bootcheck.sh; do
        shellcheck -s sh -S warning "$src/board/$s" || fail "shellcheck warnings in board/$s"
    done
    echo "shellcheck: ok"
else
    echo "shellcheck not installed: lint skipped"
fi
echo "board mkimage test ok"
