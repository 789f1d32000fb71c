#!/usr/bin/env bash
# Install the system tools derive needs (TeX for the LaTeX/PDF outputs, poppler for reading
# PDFs back, Chromium for browser tests, Node.js/npm for KaTeX, a C compiler for the native
# twin kernels) from the distribution's packages, if any is missing.
set -euo pipefail

need=()
command -v pdflatex  >/dev/null || need+=(texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended)
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v chromium  >/dev/null || need+=(chromium)
command -v npm       >/dev/null || need+=(nodejs npm)
{ command -v cc >/dev/null && [ -e /usr/include/math.h ]; } || need+=(gcc libc6-dev)
[ ${#need[@]} -eq 0 ] && exit 0

echo "system-deps: installing ${need[*]}"
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then SUDO=sudo; else
        echo "system-deps: need root to install: ${need[*]}" >&2; exit 1
    fi
else SUDO=""; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
