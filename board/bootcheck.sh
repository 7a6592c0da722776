#!/bin/sh
# board/bootcheck.sh IMAGE [TIMEOUT_S] - boot a Greeter image in QEMU on a
# throw-away overlay and check what a person at the desk would see on first boot.
#   x86-64 image (GPT): qemu-system-x86_64 with UEFI firmware (OVMF), the
#     image's own GRUB; TCG, or KVM with GREETER_QEMU_ACCEL=kvm. Default limit 600 s.
#   Raspberry Pi image (MBR, FAT RASPIFIRM): no Pi is emulated well enough to
#     boot Debian's kernel, so qemu-system-aarch64 -M virt -cpu cortex-a72
#     (TCG: slow) boots the kernel and initrd taken from the image's FAT
#     partition, with root=LABEL=greeter-root and the serial console on
#     ttyAMA0: the same root file system, units and first boot as on the Pi,
#     not the Pi's firmware, device tree or drivers. Default limit 2400 s.
# Checks:
#   - the first-boot unit ran (root grown, hostname greeter-XXXX);
#   - the console shows the web address and the first admin password;
#   - the web UI answers over HTTPS (port 8443, forwarded to the host) with
#     the certificate whose fingerprint is on the screen, and the password on
#     the screen logs in;
#   - greeterd stays up longer than WatchdogSec (systemd's watchdog is fed);
#   (the banner is printed by greeter-console.service, ordered after greeterd,
#   whose start completes only when greeterd has sent READY=1).
# The image itself is not modified. Installs qemu-system-x86 / qemu-system-arm,
# qemu-utils, ovmf, mtools when missing (root). Prints the serial console log on
# failure; GREETER_BOOT_LOG=FILE keeps a copy of it.
set -eu
img=${1:?usage: board/bootcheck.sh IMAGE [TIMEOUT_S]}
say() { echo "bootcheck: $*" >&2; }
table=$(sfdisk -J "$img" | python3 -c 'import json,sys; print(json.load(sys.stdin)["partitiontable"]["label"])')
case "$table" in gpt) kind=x86-64; limit=${2:-600} ;; dos) kind=arm64; limit=${2:-2400} ;; *) say "unknown image ($table)"; exit 2 ;; esac
need=""
if [ "$kind" = x86-64 ]; then
    command -v qemu-system-x86_64 >/dev/null || need="$need qemu-system-x86"
    [ -f /usr/share/OVMF/OVMF_CODE.fd ] || need="$need ovmf"
else
    command -v qemu-system-aarch64 >/dev/null || need="$need qemu-system-arm"
    command -v mcopy >/dev/null || need="$need mtools"
fi
command -v qemu-img >/dev/null || need="$need qemu-utils"
command -v curl >/dev/null || need="$need curl"
if [ -n "$need" ]; then
    say "installing$need"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

tmp=$(mktemp -d)
qpid=
cleanup() {
    [ -n "$qpid" ] && kill "$qpid" 2>/dev/null
    [ -n "${GREETER_BOOT_LOG:-}" ] && cp "$tmp/serial.log" "$GREETER_BOOT_LOG" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
fail() { say "FAIL: $*"; echo "---- serial console ----" >&2; tail -n 80 "$tmp/serial.log" >&2 || true; exit 1; }

qemu-img create -q -f qcow2 -b "$(readlink -f "$img")" -F raw "$tmp/disk.qcow2" 8G
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
if [ "$kind" = x86-64 ]; then
    cp /usr/share/OVMF/OVMF_VARS.fd "$tmp/vars.fd"
    accel=${GREETER_QEMU_ACCEL:-tcg}
    # KVM is faster but nested KVM on build VMs often fails in OVMF; GREETER_QEMU_ACCEL=kvm to try.
    cpu=""; [ "$accel" = kvm ] && cpu="-cpu host"
    say "booting $img ($accel), web UI forwarded to https://127.0.0.1:$port/"
    qemu-system-x86_64 -machine q35,accel=$accel $cpu -m 2048 -smp 2 \
        -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE.fd \
        -drive if=pflash,format=raw,file="$tmp/vars.fd" \
        -drive file="$tmp/disk.qcow2",if=virtio,format=qcow2 \
        -nic user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:$port-:8443 \
        -serial file:"$tmp/serial.log" -display none -no-reboot &
    qpid=$!
else
    # The kernel and initrd the Pi's firmware would load (config.txt names them).
    bstart=$(sfdisk -J "$img" | python3 -c 'import json,sys; print(json.load(sys.stdin)["partitiontable"]["partitions"][0]["start"])')
    fat="$img@@$((bstart * 512))"
    config=$(mtype -i "$fat" ::/config.txt)
    kernel=$(printf '%s\n' "$config" | sed -n 's/^kernel=//p')
    initrd=$(printf '%s\n' "$config" | sed -n 's/^initramfs \([^ ]*\).*/\1/p')
    mcopy -n -i "$fat" "::/$kernel" "$tmp/vmlinuz"
    mcopy -n -i "$fat" "::/$initrd" "$tmp/initrd"
    # Debian's arm64 vmlinuz is a gzip-compressed Image; QEMU wants it plain.
    if gzip -t "$tmp/vmlinuz" 2>/dev/null; then gzip -dc "$tmp/vmlinuz" >"$tmp/Image"; else mv "$tmp/vmlinuz" "$tmp/Image"; fi
    say "booting $img's $kernel under qemu-system-aarch64 -M virt -cpu cortex-a72 (TCG),"
    say "web UI forwarded to https://127.0.0.1:$port/ (limit $limit s)"
    qemu-system-aarch64 -machine virt -cpu cortex-a72 -m 2048 -smp 2 \
        -kernel "$tmp/Image" -initrd "$tmp/initrd" \
        -append "console=ttyAMA0 root=LABEL=greeter-root rw rootwait fsck.repair=yes net.ifnames=0" \
        -drive file="$tmp/disk.qcow2",if=none,id=hd,format=qcow2 -device virtio-blk-pci,drive=hd \
        -nic user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:$port-:8443 \
        -serial file:"$tmp/serial.log" -display none -no-reboot &
    qpid=$!
fi
start=$(date +%s)
wait_for() { # pattern
    while ! grep -q -- "$1" "$tmp/serial.log" 2>/dev/null; do
        kill -0 "$qpid" 2>/dev/null || fail "QEMU exited"
        [ $(( $(date +%s) - start )) -lt "$limit" ] || fail "no '$1' within $limit s"
        sleep 2
    done
}
wait_for 'greeter-firstboot: done'
say "first boot done after $(( $(date +%s) - start )) s"
grep -q 'greeter-firstboot: hostname greeter-[0-9a-f]\{4\}' "$tmp/serial.log" || fail "no hostname greeter-XXXX"
wait_for 'First login: user admin, password'
pw=$(sed -n 's/.*First login: user admin, password \([^ ]*\).*/\1/p' "$tmp/serial.log" | head -n1 | tr -d '\r')
[ -n "$pw" ] || fail "no password on the console"
grep -q 'Web UI:  https://greeter-[0-9a-f]\{4\}.local:8443/' "$tmp/serial.log" || fail "no web address on the console"
grep -q 'TLS certificate SHA-256: ' "$tmp/serial.log" || fail "no certificate fingerprint on the console"
say "console shows the address, password and certificate after $(( $(date +%s) - start )) s"
code=""
for _ in $(seq 30); do
    code=$(curl -ks -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port/" || true)
    [ "$code" = 200 ] || [ "$code" = 302 ] || [ "$code" = 303 ] && break
    sleep 2
done
case "$code" in 200|302|303) ;; *) fail "web UI over HTTPS answered '$code'" ;; esac
fp_console=$(sed -n 's/.*TLS certificate SHA-256: \([0-9A-F:]*\).*/\1/p' "$tmp/serial.log" | head -n1)
fp_served=$(echo | openssl s_client -connect "127.0.0.1:$port" 2>/dev/null | openssl x509 -noout -fingerprint -sha256 2>/dev/null | sed 's/^.*=//')
[ -n "$fp_served" ] && [ "$fp_console" = "$fp_served" ] || fail "certificate served ($fp_served) is not the one on the console ($fp_console)"
say "web UI answers HTTP $code over HTTPS with the certificate shown on the console"
# The password on the screen logs in.
login=$(curl -ks -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$pw\"}" "https://127.0.0.1:$port/api/v1/login" || true)
echo "$login" | grep -q csrf_token || fail "login with the console's password failed: $login"
say "login as admin with the password from the console: ok"
# systemd's watchdog (WatchdogSec=60) is fed: greeterd is not restarted over
# more than one watchdog period (its uptime keeps growing).
up() { curl -ks "https://127.0.0.1:$port/healthz" | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["uptime_s"]))'; }
u1=$(up) || fail "no /healthz"
sleep 90
u2=$(up) || fail "no /healthz after 90 s (greeterd restarted or hung?)"
[ "$u2" -ge $((u1 + 80)) ] || fail "greeterd uptime went from $u1 to $u2 s in 90 s: restarted (watchdog?)"
say "greeterd up for $u2 s without a restart (WatchdogSec=60 fed over sd_notify)"
say "ok: booted and serving in $(( $(date +%s) - start )) s"
