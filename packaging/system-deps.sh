#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages lecplayer needs, skipping what is present.
# Usage: packaging/system-deps.sh run|test|bench|demo|dist
# As root it runs apt-get; otherwise it prints the exact command to run and fails.
set -euo pipefail
purpose=${1:-run}

# Qt's xcb platform plugin and libmpv; the names are the same on Debian 12/13 and Ubuntu 22.04+,
# except libmpv (libmpv2 from mpv 0.35, libmpv1 before).
pkgs=(libgl1 libegl1 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3 libglib2.0-0
      libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
      libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 fonts-dejavu-core)
case "$purpose" in
  # Smart speed decodes a lecture's sound with the ffmpeg program.
  run) pkgs+=(ffmpeg) ;;
  # MPRIS and screen-inhibit tests: a private dbus-daemon, playerctl and gdbus as clients.
  # Transcript and pause-detection tests, the benchmarks: real read speech with reference transcripts
  # (LibriVox utterances in pocketsphinx-testdata).
  test) pkgs+=(xvfb xauth ffmpeg espeak-ng poppler-utils desktop-file-utils appstream dbus
               playerctl libglib2.0-bin pocketsphinx-testdata) ;;
  bench) pkgs+=(xvfb xauth ffmpeg mpv espeak-ng pocketsphinx-testdata) ;;
  demo) pkgs+=(ffmpeg espeak-ng) ;;
  # PyInstaller reads binaries with binutils and needs a shared libpython (Debian's python3 is
  # linked statically: libpython3.X ships the .so); the bundle carries the host's ffmpeg
  # program, pointed at its own libraries by patchelf; the smoke test runs it under Xvfb.
  dist) pkgs+=(binutils ffmpeg patchelf xvfb xauth)
        if command -v python3 >/dev/null 2>&1; then
          pkgs+=("libpython$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')")
        fi ;;
  *) echo "usage: $0 run|test|bench|demo|dist" >&2; exit 64 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "lecplayer: not a Debian-like system; install libmpv (>= 0.33), ffmpeg and Qt's xcb libraries yourself." >&2
  exit 0
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
for p in "${pkgs[@]}"; do installed "$p" || missing+=("$p"); done
if ! installed libmpv2 && ! installed libmpv1; then missing+=(libmpv); fi
if ! python3 -m venv --help >/dev/null 2>&1; then missing+=(python3-venv); fi
[ ${#missing[@]} -eq 0 ] && exit 0

resolve_libmpv() {
  if apt-cache show libmpv2 >/dev/null 2>&1; then echo libmpv2; else echo libmpv1; fi
}

if [ "$(id -u)" -ne 0 ]; then
  names=("${missing[@]/libmpv/$(resolve_libmpv)}")
  echo "lecplayer needs system packages. Run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${names[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "Installing system packages: ${missing[*]}"
apt-get update -q
names=("${missing[@]/libmpv/$(resolve_libmpv)}")
apt-get install -y -q --no-install-recommends "${names[@]}"
