#!/bin/sh
# board/deps.sh - install the Debian packages the build, the models and the
# tests need. Idempotent: installs only what is missing. Run as root (or with
# sudo available). Used by both Quick-start commands and by .ci/run.
set -eu
PKGS="build-essential cmake pkg-config git ca-certificates python3
 libdlib-dev libdlib-data libopenblas-dev
 libopencv-dev python3-onnx
 libtesseract-dev libleptonica-dev tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-rus tesseract-ocr-osd tesseract-ocr-por tesseract-ocr-spa
 wbrazilian wspanish wamerican
 libturbojpeg0-dev libjpeg62-turbo-dev
 libsqlite3-dev sqlite3
 libmicrohttpd-dev libgnutls28-dev libcurl4-openssl-dev libjansson-dev libsodium-dev libsystemd-dev
 libphonenumber-dev libzbar-dev
 libcmocka-dev clang libclang-rt-14-dev
 radicale
 python3-aiosmtpd
 chromium wrk
 mmdebstrap dpkg-dev zstd
 ${GREETER_EXTRA_PKGS:-}"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
# Node.js with npm (for `npm pack` of the face model): the machine's own
# install when present (it may come from another repository), else Debian's.
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
if [ -z "$missing" ]; then
    echo "deps: all packages present"
    exit 0
fi
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
echo "deps: installing$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: done"
