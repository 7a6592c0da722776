#!/bin/sh
# board/mkimage.sh PROFILE [--deb FILE] [--out FILE]
#
# Builds a bootable disk image for a board profile (board/profiles/PROFILE.conf)
# from Debian 12 packages with mmdebstrap, with the greeter package installed
# and enabled, the first-boot unit, the camera rule, DHCP networking, mDNS and
# time sync. Run as root on Debian 12 amd64; installs the tools it needs.
#   PROFILE  x86-64  GPT: EFI partition (standalone GRUB) + ext4 root
#            rpi4    MBR: FAT boot partition RASPIFIRM (Debian's raspi-firmware,
#                    linux-image-arm64: config.txt, cmdline.txt, kernel, initrd,
#                    device trees) + ext4 root. arm64 packages are configured
#                    under qemu-user: binfmt_misc is registered here when it can be
#                    (exit 3 with what to do when it cannot)
#            rpi5    exits 3: no Debian kernel boots a Pi 5 (docs/DEVICE.md)
#   --deb FILE  use this greeter .deb (default: board/mkdeb.sh --arch ARCH)
#   --out FILE  the image (default build/image/greeter-PROFILE.img)
#   --keep-root reuse the root file system (and Pi boot files) unpacked by an
#               earlier run into the folder beside the image (PROFILE/), instead
#               of running mmdebstrap again (35-50 min for arm64 here)
# The image is raw: write it with `dd` or bmaptool (docs/DEVICE.md); check it
# with board/imagecheck.sh, boot it in QEMU with board/bootcheck.sh.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
say() { echo "mkimage: $*" >&2; }
die() { say "$*"; exit 1; }

[ $# -ge 1 ] || { sed -n '2,23p' "$0"; exit 2; }
profile=$1; shift
deb=""; out=""; keep_root=""
while [ $# -gt 0 ]; do
    case "$1" in
    --deb) deb=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --keep-root) keep_root=1; shift ;;
    *) die "unknown argument $1" ;;
    esac
done
conf="$here/profiles/$profile.conf"
[ -f "$conf" ] || die "no profile $profile (have: $(cd "$here/profiles" && ls | sed 's/\.conf$//' | tr '\n' ' '))"
ARCH=""; BOOT=""; KERNEL_PKGS=""; FIRMWARE_PKGS=""; COMPONENTS="main"; CMDLINE=""; IMAGE_MB=3072; SETTINGS=""
DTB=""; BOOT_MB=256; UNSUPPORTED=""
# shellcheck disable=SC1090
. "$conf"
if [ -n "$UNSUPPORTED" ]; then
    printf '%s\n' "$UNSUPPORTED" | while IFS= read -r line; do say "$profile: $line"; done
    exit 3
fi
[ "$(id -u)" = 0 ] || die "run as root (mmdebstrap --mode=root, file ownership in the image)"
[ "$(dpkg --print-architecture)" = amd64 ] || die "build on Debian 12 amd64"

# Foreign packages (arm64 on this amd64 machine) have maintainer scripts that
# must run as arm64 code: the kernel's binfmt_misc hands such programs to
# qemu-user. Registered here when it is not yet (needs root and a kernel that
# lets this machine mount binfmt_misc; containers often do not).
binfmt_ready() { # qemu name
    [ -r "/proc/sys/fs/binfmt_misc/$1" ] && grep -qx enabled "/proc/sys/fs/binfmt_misc/$1" &&
        grep -q '^flags: .*F' "/proc/sys/fs/binfmt_misc/$1"
}
binfmt_setup() { # qemu name (qemu-aarch64)
    binfmt_ready "$1" && return 0
    if [ ! -x "/usr/libexec/qemu-binfmt/${1#qemu-}-binfmt-P" ] || [ ! -f "/usr/lib/binfmt.d/$1.conf" ]; then
        say "installing qemu-user-static"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-user-static >/dev/null ||
            return 1
    fi
    binfmt_ready "$1" && return 0
    if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
        mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null || return 1
    fi
    if [ -e "/proc/sys/fs/binfmt_misc/$1" ]; then
        # Registered but disabled, or without F (fix binary: needed in a chroot).
        echo -1 >"/proc/sys/fs/binfmt_misc/$1" 2>/dev/null || return 1
    fi
    cat "/usr/lib/binfmt.d/$1.conf" >/proc/sys/fs/binfmt_misc/register 2>/dev/null || return 1
    binfmt_ready "$1"
}
if [ "$ARCH" != amd64 ]; then
    case "$ARCH" in arm64) qemu="qemu-aarch64" ;; *) die "no emulator known for $ARCH" ;; esac
    if ! binfmt_setup "$qemu"; then
        say "$profile: the $ARCH packages' maintainer scripts must run under qemu-user, and this machine"
        say "cannot hand $ARCH programs to it (binfmt_misc not available or not writable here)."
        say "As root on a machine that allows it (a VM or a real computer, not an unprivileged container):"
        say "    apt-get install qemu-user-static"
        say "    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc   # if not mounted"
        say "    cat /usr/lib/binfmt.d/$qemu.conf >/proc/sys/fs/binfmt_misc/register"
        say "then run this again (check: cat /proc/sys/fs/binfmt_misc/$qemu shows 'enabled' and flags F)."
        say "Without it: board/mkdeb.sh --arch $ARCH and docs/DEVICE.md ('Raspberry Pi') install on Raspberry Pi OS."
        exit 3
    fi
    say "binfmt_misc: $ARCH programs run under $(sed -n 's/^interpreter //p' "/proc/sys/fs/binfmt_misc/$qemu")"
fi

tools="mmdebstrap:mmdebstrap mkfs.vfat:dosfstools mcopy:mtools sfdisk:fdisk mkfs.ext4:e2fsprogs"
need=""
for t in $tools; do command -v "${t%%:*}" >/dev/null || need="$need ${t#*:}"; done
if [ -n "$need" ]; then
    say "installing$need"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

[ -n "$out" ] || out="$root/build/image/greeter-$profile.img"
out=$(readlink -f "$(dirname "$out")")/$(basename "$out")
work="$(dirname "$out")/$profile"   # the unpacked root and scratch files, beside the image
if [ -n "$keep_root" ]; then
    [ -d "$work/rootfs/usr" ] || die "--keep-root: no root file system in $work/rootfs"
else
    rm -rf "$work"
    if [ -z "$deb" ]; then
        deb=$("$here/mkdeb.sh" --arch "$ARCH" | tail -n1)
    fi
    [ -f "$deb" ] || die "no package $deb"
    debname=$(basename "$deb")
fi
mkdir -p "$work" "$(dirname "$out")"

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

# Values setup.sh needs from the profile (it runs inside the new root).
consoles=""; extra_cmdline=""
for a in $CMDLINE; do
    case "$a" in console=*) consoles="$consoles ${a#console=}" ;; *) extra_cmdline="$extra_cmdline $a" ;; esac
done
{
    echo "BOOT='$BOOT'"
    echo "CONSOLES='${consoles# }'"
    echo "EXTRA_CMDLINE='${extra_cmdline# }'"
} >"$work/image.env"

cat >"$work/setup.sh" <<'EOF'
#!/bin/sh
# Runs inside the new root (chroot) at the end of mmdebstrap.
set -eu
. /tmp/image.env
echo greeter >/etc/hostname
printf '127.0.0.1\tlocalhost\n127.0.1.1\tgreeter\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >/etc/hosts
# Every board makes its own machine id (and so its own hostname) on first boot.
echo uninitialized >/etc/machine-id
rm -f /var/lib/dbus/machine-id
cat >/etc/fstab <<FSTAB
LABEL=greeter-root  /     ext4  defaults,noatime,commit=60  0 1
FSTAB
if [ "$BOOT" = raspi ]; then
    # The Pi's firmware reads the FAT partition; Debian's raspi-firmware keeps
    # it current on kernel updates (its hooks write /boot/firmware), so it is
    # mounted, but a damaged one must not stop the appliance from starting.
    echo 'LABEL=RASPIFIRM    /boot/firmware  vfat  defaults,noatime,nofail  0 2' >>/etc/fstab
    # What raspi-firmware writes into cmdline.txt (image-specs does the same).
    # CMA=0: no cma= on the kernel line. raspi-firmware leaves it out on a Pi 4
    # (where cma=64M makes the board unbootable) only when it runs on one, not here.
    sed -i -e 's/^#*ROOTPART=.*/ROOTPART=LABEL=greeter-root/' -e 's/^#*CMA=.*/CMA=0/' \
        -e "s/^#*CONSOLES=.*/CONSOLES=\"$CONSOLES\"/" /etc/default/raspi-firmware
    grep -q '^ROOTPART=LABEL=greeter-root' /etc/default/raspi-firmware || echo ROOTPART=LABEL=greeter-root >>/etc/default/raspi-firmware
    [ -z "$EXTRA_CMDLINE" ] || echo "$EXTRA_CMDLINE" >/etc/default/raspi-extra-cmdline
    # Regenerate /boot/firmware (config.txt, cmdline.txt, kernel, initrd, device trees) with them.
    rm -rf /boot/firmware/*
    for f in /usr/lib/raspi-firmware/*; do cp "$f" /boot/firmware/; done
    DEB_MAINT_PARAMS=configure /etc/kernel/postinst.d/z50-raspi-firmware
fi
passwd -l root >/dev/null
cat /tmp/settings.ini >>/etc/greeter/greeter.conf
# /tmp in RAM; state only in /var/lib/greeter.
cp /usr/share/systemd/tmp.mount /etc/systemd/system/tmp.mount
systemctl enable tmp.mount greeter-firstboot.service greeter-console.service greeterd.service \
    systemd-networkd.service systemd-resolved.service systemd-timesyncd.service avahi-daemon.service >/dev/null 2>&1
systemctl set-default multi-user.target >/dev/null 2>&1
rm -f /tmp/settings.ini /tmp/setup.sh /tmp/image.env
apt-get clean
EOF

t0=$(date +%s)
if [ -n "$keep_root" ]; then
    say "reusing the root file system in $work/rootfs"
else
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
        --customize-hook="copy-in $work/settings.ini $work/setup.sh $work/image.env /tmp" \
        --customize-hook='chroot "$1" sh /tmp/setup.sh' \
        bookworm "$work/rootfs" >&2
    say "root file system done in $(( $(date +%s) - t0 )) s"
fi

rm -f "$work/boot.img"
case "$BOOT" in
efi)
    say "boot: standalone GRUB EFI binary"
    cp "$work/grub.cfg" "$work/rootfs/tmp/grub.cfg"
    chroot "$work/rootfs" grub-mkstandalone -O x86_64-efi -o /tmp/BOOTX64.EFI \
        --modules="part_gpt ext2 search search_label linux normal echo gzio all_video" \
        "boot/grub/grub.cfg=/tmp/grub.cfg"
    mv "$work/rootfs/tmp/BOOTX64.EFI" "$work/BOOTX64.EFI"
    rm -f "$work/rootfs/tmp/grub.cfg"
    mkfs.vfat -C -n ESP "$work/boot.img" 65536 >/dev/null
    mmd -i "$work/boot.img" ::/EFI ::/EFI/BOOT
    mcopy -i "$work/boot.img" "$work/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI
    table=gpt
    boot_part="start=2048, size=64MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=ESP"
    root_part="type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, name=greeter-root"
    ;;
raspi)
    # The Pi's boot ROM/EEPROM reads the first FAT partition of an MBR disk:
    # what raspi-firmware put in /boot/firmware moves there, and the root keeps
    # an empty mount point.
    # (kept in $work/firmware too, for --keep-root)
    fw="$work/rootfs/boot/firmware"
    if [ -n "$(ls -A "$fw" 2>/dev/null)" ]; then
        rm -rf "$work/firmware"
        mkdir -p "$work/firmware"
        cp -a "$fw"/. "$work/firmware"/
        rm -rf "${fw:?}"/*
    fi
    fw="$work/firmware"
    [ -n "$(ls -A "$fw" 2>/dev/null)" ] || die "no boot files: raspi-firmware wrote nothing to /boot/firmware"
    for f in config.txt cmdline.txt ${DTB:-}; do
        [ -s "$fw/$f" ] || die "raspi-firmware left no $f in /boot/firmware"
    done
    ls "$fw"/vmlinuz-* "$fw"/initrd.img-* >/dev/null 2>&1 || die "no kernel or initrd in /boot/firmware"
    grep -q 'root=LABEL=greeter-root' "$fw/cmdline.txt" || die "cmdline.txt lacks root=LABEL=greeter-root"
    need_kb=$(du -sk "$fw" | cut -f1)
    [ "$need_kb" -lt $((BOOT_MB * 1024 / 2)) ] || die "/boot/firmware holds $need_kb KB: BOOT_MB=$BOOT_MB leaves no room for a kernel update"
    say "boot: FAT partition RASPIFIRM ($BOOT_MB MB; $need_kb KB used): $(cd "$fw" && ls | tr '\n' ' ')"
    mkfs.vfat -F 32 -C -n RASPIFIRM "$work/boot.img" $((BOOT_MB * 1024)) >/dev/null
    mcopy -s -i "$work/boot.img" "$fw"/* ::/
    table=dos
    boot_part="start=8MiB, size=${BOOT_MB}MiB, type=c, bootable"
    # (an explicit start: sfdisk would otherwise fill the gap before partition 1)
    root_part="start=$((8 + BOOT_MB))MiB, type=83"
    ;;
*) die "boot method $BOOT not supported for $ARCH" ;;
esac

say "disk image ${IMAGE_MB} MB ($table)"
rm -f "$out"
truncate -s "${IMAGE_MB}M" "$out"
sfdisk --quiet "$out" <<EOF
label: $table
$boot_part
$root_part
EOF
geom=$(sfdisk -J "$out" | python3 -c 'import json,sys; p=json.load(sys.stdin)["partitiontable"]["partitions"]; print(p[0]["start"], p[1]["start"], p[1]["size"])')
set -- $geom
boot_start=$1; root_start=$2; root_sectors=$3
mkfs.ext4 -q -F -L greeter-root -d "$work/rootfs" "$work/root.img" "$((root_sectors / 2))k"
dd if="$work/boot.img" of="$out" bs=512 seek="$boot_start" conv=notrunc,sparse status=none
dd if="$work/root.img" of="$out" bs=512 seek="$root_start" conv=notrunc,sparse status=none
rm -f "$work/root.img" "$work/boot.img"
used=$(du -sm "$work/rootfs" | cut -f1)
say "root file system uses $used MB; image $out; $(( $(date +%s) - t0 )) s in all"
echo "$out"
