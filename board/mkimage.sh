#!/bin/sh
# board/mkimage.sh PROFILE [--deb FILE] [--out FILE]
#
# Builds a bootable disk image for a board profile (board/profiles/PROFILE.conf)
# from Debian 12 packages with mmdebstrap, with the greeter package installed
# and enabled, the first-boot unit, the camera rule, DHCP networking, mDNS and
# time sync. Run as root on Debian 12 amd64; installs the tools it needs.
#   PROFILE  x86-64 (built and booted here under QEMU: board/bootcheck.sh)
#            rpi4, rpi5: the arm64 image is not produced by this script yet;
#            it says so and exits 3 (docs/DEVICE.md: how to run Greeter on a Pi)
#   --deb FILE  use this greeter .deb (default: board/mkdeb.sh --arch ARCH)
#   --out FILE  the image (default build/image/greeter-PROFILE.img)
# The image is raw: write it with `dd` or bmaptool (docs/DEVICE.md).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
say() { echo "mkimage: $*" >&2; }
die() { say "$*"; exit 1; }

[ $# -ge 1 ] || { sed -n '2,14p' "$0"; exit 2; }
profile=$1; shift
deb=""; out=""
while [ $# -gt 0 ]; do
    case "$1" in
    --deb) deb=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) die "unknown argument $1" ;;
    esac
done
conf="$here/profiles/$profile.conf"
[ -f "$conf" ] || die "no profile $profile (have: $(cd "$here/profiles" && ls | sed 's/\.conf$//' | tr '\n' ' '))"
ARCH=""; BOOT=""; KERNEL_PKGS=""; FIRMWARE_PKGS=""; COMPONENTS="main"; CMDLINE=""; IMAGE_MB=3072; SETTINGS=""
# shellcheck disable=SC1090
. "$conf"
[ "$(id -u)" = 0 ] || die "run as root (mmdebstrap --mode=root, file ownership in the image)"
[ "$(dpkg --print-architecture)" = amd64 ] || die "build on Debian 12 amd64"

if [ "$ARCH" != amd64 ]; then
    say "$profile: building the $ARCH image needs to run $ARCH maintainer scripts, which this machine"
    say "cannot (no binfmt_misc). Not produced. The $ARCH package is: board/mkdeb.sh --arch $ARCH;"
    say "docs/DEVICE.md ('Raspberry Pi') has the steps to install it on the board."
    exit 3
fi

tools="mmdebstrap:mmdebstrap mkfs.vfat:dosfstools mcopy:mtools sfdisk:fdisk mkfs.ext4:e2fsprogs"
need=""
for t in $tools; do command -v "${t%%:*}" >/dev/null || need="$need ${t#*:}"; done
if [ -n "$need" ]; then
    say "installing$need"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

work="$root/build/image/$profile"
[ -n "$out" ] || out="$root/build/image/greeter-$profile.img"
rm -rf "$work"
mkdir -p "$work" "$(dirname "$out")"
if [ -z "$deb" ]; then
    deb=$("$here/mkdeb.sh" --arch "$ARCH" | tail -n1)
fi
[ -f "$deb" ] || die "no package $deb"
debname=$(basename "$deb")

# Settings from the profile, appended as INI sections (later lines win).
{
    echo
    echo "# --- set by the image profile $profile (board/profiles/$profile.conf) ---"
    for kv in $SETTINGS; do
        key=${kv%%=*}
        printf '[%s]\n%s = %s\n' "${key%%.*}" "${key#*.}" "${kv#*=}"
    done
} >"$work/settings.ini"

cat >"$work/grub.cfg" <<EOF
set timeout=2
search --no-floppy --label greeter-root --set=root
linux /vmlinuz root=LABEL=greeter-root ro $CMDLINE
initrd /initrd.img
boot
EOF

cat >"$work/setup.sh" <<'EOF'
#!/bin/sh
# Runs inside the new root (chroot) at the end of mmdebstrap.
set -eu
echo greeter >/etc/hostname
printf '127.0.0.1\tlocalhost\n127.0.1.1\tgreeter\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >/etc/hosts
# Every board makes its own machine id (and so its own hostname) on first boot.
echo uninitialized >/etc/machine-id
rm -f /var/lib/dbus/machine-id
cat >/etc/fstab <<FSTAB
LABEL=greeter-root  /     ext4  defaults,noatime,commit=60  0 1
FSTAB
passwd -l root >/dev/null
cat /tmp/settings.ini >>/etc/greeter/greeter.conf
# /tmp in RAM; state only in /var/lib/greeter.
cp /usr/share/systemd/tmp.mount /etc/systemd/system/tmp.mount
systemctl enable tmp.mount greeter-firstboot.service greeter-console.service greeterd.service \
    systemd-networkd.service systemd-resolved.service systemd-timesyncd.service avahi-daemon.service >/dev/null 2>&1
systemctl set-default multi-user.target >/dev/null 2>&1
rm -f /tmp/settings.ini /tmp/setup.sh
apt-get clean
EOF

say "root file system (Debian bookworm $ARCH) with $debname"
pkgs="systemd-sysv,udev,kmod,dbus,systemd-resolved,systemd-timesyncd,avahi-daemon,libnss-mdns,openssl,ca-certificates"
pkgs="$pkgs,iproute2,cloud-guest-utils,e2fsprogs,initramfs-tools,zstd,less"
for p in $KERNEL_PKGS $FIRMWARE_PKGS; do pkgs="$pkgs,$p"; done
# The package goes in with everything else in one apt run (its own --include):
# once systemd-resolved is installed, the chroot has no working DNS.
deb=$(readlink -f "$deb")
mmdebstrap --mode=root --variant=minbase --arch="$ARCH" --components="$(echo "$COMPONENTS" | tr ' ' ',')" \
    --include="$pkgs" --include="$deb" --aptopt='Acquire::Retries "3"' \
    --hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount \
    --customize-hook="sync-in $here/image/overlay /" \
    --customize-hook="copy-in $work/settings.ini $work/setup.sh /tmp" \
    --customize-hook='chroot "$1" sh /tmp/setup.sh' \
    bookworm "$work/rootfs" >&2

case "$BOOT" in
efi)
    say "boot: standalone GRUB EFI binary"
    cp "$work/grub.cfg" "$work/rootfs/tmp/grub.cfg"
    chroot "$work/rootfs" grub-mkstandalone -O x86_64-efi -o /tmp/BOOTX64.EFI \
        --modules="part_gpt ext2 search search_label linux normal echo gzio all_video" \
        "boot/grub/grub.cfg=/tmp/grub.cfg"
    mv "$work/rootfs/tmp/BOOTX64.EFI" "$work/BOOTX64.EFI"
    rm -f "$work/rootfs/tmp/grub.cfg"
    rm -f "$work/esp.img"
    mkfs.vfat -C -n ESP "$work/esp.img" 65536 >/dev/null
    mmd -i "$work/esp.img" ::/EFI ::/EFI/BOOT
    mcopy -i "$work/esp.img" "$work/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI
    esp_type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B
    root_type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709
    ;;
*) die "boot method $BOOT not supported for $ARCH" ;;
esac

say "disk image ${IMAGE_MB} MB"
rm -f "$out"
truncate -s "${IMAGE_MB}M" "$out"
sfdisk --quiet "$out" <<EOF
label: gpt
start=2048, size=64MiB, type=$esp_type, name=ESP
type=$root_type, name=greeter-root
EOF
geom=$(sfdisk -J "$out" | python3 -c 'import json,sys; p=json.load(sys.stdin)["partitiontable"]["partitions"]; print(p[0]["start"], p[1]["start"], p[1]["size"])')
set -- $geom
esp_start=$1; root_start=$2; root_sectors=$3
mkfs.ext4 -q -F -L greeter-root -d "$work/rootfs" "$work/root.img" "$((root_sectors / 2))k"
dd if="$work/esp.img" of="$out" bs=512 seek="$esp_start" conv=notrunc,sparse status=none
dd if="$work/root.img" of="$out" bs=512 seek="$root_start" conv=notrunc,sparse status=none
rm -f "$work/root.img" "$work/esp.img"
used=$(du -sm "$work/rootfs" | cut -f1)
say "root file system uses $used MB; image $out"
echo "$out"
