#!/bin/sh
# board/mkdeb.sh [--arch amd64|arm64] [--version V] [--out DIR] [--build-dir DIR]
#
# Builds the Debian package greeter_V_ARCH.deb with dpkg-deb:
#   - configures its own build tree (default build/pkg-ARCH) with the
#     installed paths compiled in (models.dir=/usr/share/greeter/models,
#     camera.demo_video=/usr/share/greeter/demo/visits.mp4), tests off;
#     --arch arm64 cross-compiles with board/toolchain-aarch64.cmake
#     (board/cross-deps.sh installs Debian's cross toolchain and unpacks an arm64
#     sysroot with the -dev libraries under build/cross);
#   - fetches the models (models/fetch.sh) and installs everything with
#     `cmake --install --strip` into a staging folder (layout: board/CMakeLists.txt);
#   - Depends: from dpkg-shlibdeps on the two programs, plus the data the
#     defaults need (dlib's landmark model, Tesseract languages) and adduser;
#   - maintainer scripts from board/debian/ (user `greeter` in group video,
#     data kept on remove, dropped on purge; the unit enabled on install).
# Version: the project's (CMakeLists.txt) unless --version is given.
# Prints the path of the .deb on its last line.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
arch=$(dpkg --print-architecture)
version=""
out="$root/build/deb"
bdir=""
jobs=${GREETER_JOBS:-2}
while [ $# -gt 0 ]; do
    case "$1" in
    --arch) arch=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --build-dir) bdir=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "mkdeb: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -n "$bdir" ] || bdir="$root/build/pkg-$arch"
[ -n "$version" ] ||
    version=$(sed -n 's/^project(greeter VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
[ -n "$version" ] || { echo "mkdeb: cannot read the project version" >&2; exit 1; }
say() { echo "mkdeb: $*" >&2; }
# One mkdeb per build tree at a time (two test runs may build the package at once).
mkdir -p "$(dirname "$bdir")"
exec 9>"$bdir.lock"
flock 9

for tool in dpkg-deb dpkg-shlibdeps cmake; do
    command -v "$tool" >/dev/null || { say "$tool is missing (apt-get install dpkg-dev cmake)"; exit 1; }
done

cross=""
case "$arch" in
"$(dpkg --print-architecture)") ;;
arm64)
    "$root/board/cross-deps.sh" >&2
    cross="-DCMAKE_TOOLCHAIN_FILE=$root/board/toolchain-aarch64.cmake"
    [ -z "${GREETER_SYSROOT:-}" ] || cross="$cross -DGREETER_SYSROOT=$GREETER_SYSROOT"
    ;;
*) say "unsupported --arch $arch (amd64 or arm64)"; exit 2 ;;
esac

say "models"
"$root/models/fetch.sh" "$root/models/data" >&2

say "building in $bdir"
# shellcheck disable=SC2086
cmake -S "$root" -B "$bdir" $cross -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
    -DGREETER_TESTS=OFF -DGREETER_PACKAGE_MODELS=ON \
    -DGREETER_MODELS_DIR=/usr/share/greeter/models \
    -DGREETER_DEMO_VIDEO=/usr/share/greeter/demo/visits.mp4 >&2
cmake --build "$bdir" -j "$jobs" --target greeterd greeter greeter_conf >&2

stage="$bdir/stage"
rm -rf "$stage"
DESTDIR="$stage" cmake --install "$bdir" --strip >&2
[ -x "$stage/usr/bin/greeterd" ] || { say "install did not produce usr/bin/greeterd"; exit 1; }

# Depends. dpkg-shlibdeps wants a debian/control; give it a minimal one.
work="$bdir/shlibdeps"
rm -rf "$work"; mkdir -p "$work/debian"
printf 'Source: greeter\n\nPackage: greeter\nArchitecture: any\n' >"$work/debian/control"
bins="$stage/usr/bin/greeterd $stage/usr/bin/greeter"
if [ -n "$cross" ]; then
    # The arm64 libraries live in a sysroot that no dpkg database describes.
    # The same Debian release ships the same library packages for amd64, so
    # map the arm64 programs' sonames through this machine: a stand-in
    # program linked against the same sonames goes to dpkg-shlibdeps. (Version
    # bounds are then the libraries' minimal ones, not per-symbol.)
    sonames=$(aarch64-linux-gnu-objdump -p $bins | awk '$1 == "NEEDED" {print $2}' | sort -u |
        grep -v '^ld-linux')
    args=""
    for so in $sonames; do args="$args -l:$so"; done
    # shellcheck disable=SC2086
    echo 'int main(void){return 0;}' | cc -x c - -o "$work/standin" -Wl,--no-as-needed $args ||
        { say "cannot map the arm64 sonames ($sonames) to this machine's libraries: board/deps.sh installs them"; exit 1; }
    bins="$work/standin"
fi
# shellcheck disable=SC2086
(cd "$work" && dpkg-shlibdeps -O $bins) >"$work/vars" 2>"$work/log" ||
    { cat "$work/log" >&2; say "dpkg-shlibdeps failed"; exit 1; }
shlibs=$(sed -n 's/^shlibs:Depends=//p' "$work/vars")
[ -n "$shlibs" ] || { say "dpkg-shlibdeps found no libraries"; exit 1; }
# The defaults need: dlib's landmark model (linked from /usr/share/greeter/models),
# Tesseract's data for ocr.languages=eng+deu+fra+rus, adduser for the user.
# Recommended (below): the spelling lists that mend accents on Portuguese
# and Spanish cards (ocr.dict_dir; without them the card reader uses
# Tesseract's word lists alone).
extra="adduser, libdlib-data (>= 19.24), tesseract-ocr-eng, tesseract-ocr-deu, tesseract-ocr-fra, tesseract-ocr-rus, tesseract-ocr-osd, tesseract-ocr-por, tesseract-ocr-spa"

mkdir -p "$stage/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat >"$stage/DEBIAN/control" <<EOF
Package: greeter
Version: $version
Architecture: $arch
Maintainer: Greeter developers <greeter@localhost>
Section: misc
Priority: optional
Installed-Size: $size
Depends: $shlibs, $extra
Recommends: openssl, avahi-daemon, wbrazilian, wspanish, wamerican
Homepage: https://github.com/greeter/greeter
Description: reception-desk appliance: returning visitors, business cards, CRM
 Greeter runs on a small board with a camera at a reception desk. It
 recognises returning visitors on the device itself, reads business cards,
 keeps a small CRM in SQLite with a web UI, and syncs it to Bitrix24.
 .
 This package holds the daemon (greeterd, a hardened systemd service running
 as user greeter), the command-line tool (greeter), the face models and the
 demo video. State lives in /var/lib/greeter; settings in /etc/greeter.
EOF
echo /etc/greeter/greeter.conf >"$stage/DEBIAN/conffiles"
for s in postinst prerm postrm; do
    install -m 0755 "$root/board/debian/$s" "$stage/DEBIAN/$s"
done
mkdir -p "$stage/usr/share/doc/greeter"
install -m 0644 "$root/board/debian/copyright" "$stage/usr/share/doc/greeter/copyright"

mkdir -p "$out"
deb="$out/greeter_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >&2
say "$(du -h "$deb" | cut -f1) $deb"
echo "$deb"
