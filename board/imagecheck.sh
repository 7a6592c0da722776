#!/bin/sh
# board/imagecheck.sh IMAGE - static checks of an image made by board/mkimage.sh,
# without booting it (board/bootcheck.sh boots it). Run as root (loop mount, chroot).
#  - partition table: MBR with a bootable FAT32 RASPIFIRM + ext4 root (Pi), or
#    GPT with an EFI system partition + ext4 root (x86-64);
#  - boot partition (read with mtools): Pi: config.txt (arm_64bit, the kernel
#    and initramfs it names present), cmdline.txt (root=LABEL=greeter-root),
#    the Pi 4 firmware (start4.elf, fixup4.dat) and device tree; x86-64:
#    EFI/BOOT/BOOTX64.EFI;
#  - root (mounted read-only): `dpkg -s greeter` and `greeter --version` run
#    inside it with chroot (foreign code goes through qemu-user via
#    binfmt_misc), no half-configured package (dpkg --audit), the units
#    enabled, the camera rule, fstab, an uninitialised machine id, the
#    profile's settings in /etc/greeter/greeter.conf.
# Prints one line per check; exits 1 on the first failure.
set -eu
img=${1:?usage: board/imagecheck.sh IMAGE}
[ "$(id -u)" = 0 ] || { echo "imagecheck: run as root (loop mount, chroot)" >&2; exit 2; }
say() { echo "imagecheck: $*"; }
fail() { echo "imagecheck: FAIL: $*" >&2; exit 1; }
for t in sfdisk:fdisk mdir:mtools python3:python3 blkid:util-linux; do
    command -v "${t%%:*}" >/dev/null || fail "${t%%:*} missing (apt-get install ${t#*:})"
done
mnt=$(mktemp -d)
cleanup() { mountpoint -q "$mnt" && umount "$mnt"; rmdir "$mnt"; }
trap cleanup EXIT

# shellcheck disable=SC2046 # one line of words, split on purpose
set -- $(sfdisk -J "$img" | python3 -c '
import json, sys
t = json.load(sys.stdin)["partitiontable"]
p = t["partitions"]
print(t["label"], len(p), p[0]["start"], p[0]["type"], int(p[0].get("bootable", False)), p[1]["start"], p[1]["type"])')
label=$1 nparts=$2 bstart=$3 btype=$4 bboot=$5 rstart=$6 rtype=$7
[ "$nparts" = 2 ] || fail "$nparts partitions, expected 2"
case "$label" in
dos)
    kind=raspi
    [ "$btype" = c ] && [ "$bboot" = 1 ] || fail "partition 1 is type $btype (bootable=$bboot), expected c (FAT32 LBA), bootable"
    [ "$rtype" = 83 ] || fail "partition 2 is type $rtype, expected 83 (Linux)"
    ;;
gpt)
    kind=efi
    [ "$btype" = C12A7328-F81F-11D2-BA4B-00A0C93EC93B ] || fail "partition 1 is not an EFI system partition ($btype)"
    ;;
*) fail "partition table $label" ;;
esac
say "partition table $label: boot at sector $bstart, root at sector $rstart"
fat="$img@@$((bstart * 512))"
blabel=$(blkid -p -O $((bstart * 512)) -o value -s LABEL "$img" || true)
rlabel=$(blkid -p -O $((rstart * 512)) -o value -s LABEL "$img" || true)
rfs=$(blkid -p -O $((rstart * 512)) -o value -s TYPE "$img" || true)
[ "$rlabel" = greeter-root ] && [ "$rfs" = ext4 ] || fail "root is '$rfs' labelled '$rlabel', expected ext4 greeter-root"

if [ "$kind" = raspi ]; then
    [ "$blabel" = RASPIFIRM ] || fail "boot partition labelled '$blabel', expected RASPIFIRM"
    files=$(mdir -b -i "$fat" ::/ | sed 's#^::/##')
    for f in config.txt cmdline.txt start4.elf fixup4.dat bcm2711-rpi-4-b.dtb; do
        printf '%s\n' "$files" | grep -qx "$f" || fail "no $f on the FAT partition"
    done
    config=$(mtype -i "$fat" ::/config.txt)
    cmdline=$(mtype -i "$fat" ::/cmdline.txt)
    printf '%s\n' "$config" | grep -qx 'arm_64bit=1' || fail "config.txt lacks arm_64bit=1"
    kernel=$(printf '%s\n' "$config" | sed -n 's/^kernel=//p')
    initrd=$(printf '%s\n' "$config" | sed -n 's/^initramfs \([^ ]*\).*/\1/p')
    [ -n "$kernel" ] && printf '%s\n' "$files" | grep -qx "$kernel" || fail "config.txt names kernel '$kernel', not on the FAT"
    [ -n "$initrd" ] && printf '%s\n' "$files" | grep -qx "$initrd" || fail "config.txt names initramfs '$initrd', not on the FAT"
    printf '%s\n' "$cmdline" | grep -q 'root=LABEL=greeter-root' || fail "cmdline.txt: $cmdline"
    # cma=64M (raspi-firmware's default off a Pi) makes a Pi 4 unbootable.
    if printf '%s\n' "$cmdline" | grep -q 'cma='; then fail "cmdline.txt sets cma= (a Pi 4 does not boot with it): $cmdline"; fi
    say "FAT RASPIFIRM: config.txt (kernel=$kernel, initramfs $initrd), cmdline.txt ($(printf '%s' "$cmdline" | tr -s ' ')), $(printf '%s\n' "$files" | grep -c '\.dtb$') device trees, Pi firmware"
else
    mdir -b -i "$fat" ::/EFI/BOOT | grep -q 'BOOTX64.EFI' || fail "no EFI/BOOT/BOOTX64.EFI on the ESP"
    say "ESP: EFI/BOOT/BOOTX64.EFI"
fi

mount -o ro,noload,loop,offset=$((rstart * 512)) "$img" "$mnt"
arch=$(chroot "$mnt" dpkg --print-architecture) || fail "cannot run the image's dpkg (foreign architecture without binfmt_misc?)"
status=$(chroot "$mnt" dpkg -s greeter | sed -n 's/^Status: //p')
[ "$status" = "install ok installed" ] || fail "greeter package status '$status'"
audit=$(chroot "$mnt" dpkg --audit)
[ -z "$audit" ] || fail "dpkg --audit: $audit"
version=$(chroot "$mnt" greeter --version) || fail "greeter --version failed inside the root"
say "root ($arch): greeter package installed and configured, nothing left unconfigured; '$version' runs"
for u in greeterd.service greeter-firstboot.service greeter-console.service tmp.mount systemd-networkd.service avahi-daemon.service; do
    [ "$(systemctl --root="$mnt" is-enabled "$u" 2>/dev/null)" = enabled ] || fail "$u not enabled"
done
[ -f "$mnt/usr/lib/udev/rules.d/60-greeter-camera.rules" ] || fail "no camera rule"
grep -q '^LABEL=greeter-root *\/ ' "$mnt/etc/fstab" || fail "fstab has no root entry"
# Empty (mmdebstrap's clean-up) or "uninitialized": each board makes its own on first boot.
case "$(cat "$mnt/etc/machine-id")" in ""|uninitialized) ;; *) fail "machine id is set: every board would share it" ;; esac
grep -q 'set by the image profile' "$mnt/etc/greeter/greeter.conf" || fail "no profile settings in greeter.conf"
chroot "$mnt" id greeter | grep -q '(video)' || fail "user greeter missing or not in group video"
if [ "$kind" = raspi ]; then
    grep -q '^LABEL=RASPIFIRM *\/boot\/firmware ' "$mnt/etc/fstab" || fail "fstab does not mount RASPIFIRM on /boot/firmware"
    [ -d "$mnt/boot/firmware" ] && [ -z "$(ls -A "$mnt/boot/firmware")" ] || fail "/boot/firmware is not an empty mount point"
    grep -q '^ROOTPART=LABEL=greeter-root' "$mnt/etc/default/raspi-firmware" || fail "raspi-firmware's ROOTPART not set (kernel updates would rewrite cmdline.txt wrongly)"
fi
say "units enabled (greeterd, first boot, console banner, tmp in RAM, network, mDNS), camera rule, fstab, machine id, settings, user greeter in video"
say "ok: $img"
