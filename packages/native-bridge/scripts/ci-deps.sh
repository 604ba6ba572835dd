#!/usr/bin/env bash
# System packages the native bridge needs in CI: gcc/make for the .so, mingw-w64 for
# the two DLLs, valgrind for the C test, wine64 to run the 64-bit Windows test program.
# Idempotent and quick: installs only what is missing (no apt-get update otherwise).
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have gcc || need+=(gcc libc6-dev)
have make || need+=(make)
have objdump || need+=(binutils)
have valgrind || need+=(valgrind)
have i686-w64-mingw32-gcc || need+=(gcc-mingw-w64-i686)
have x86_64-w64-mingw32-gcc || need+=(gcc-mingw-w64-x86-64)
{ [ -x /usr/lib/wine/wine64 ] || have wine64; } || need+=(wine64)

if [ ${#need[@]} -eq 0 ]; then
  echo "native-bridge ci-deps: all present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "native-bridge ci-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
