#!/usr/bin/env bash
# Debian packages the tests need: headless Chromium and its WebDriver, for the test that
# opens the HTML report in a real browser. Idempotent and quick when already installed.
# Run as root (or with sudo available); on other systems it says what to install and
# leaves the browser test to skip.
set -euo pipefail

packages=(chromium chromium-driver fonts-dejavu-core)

missing=()
for pkg in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "system-deps: ${packages[*]} already installed"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: no apt-get here; install ${missing[*]} yourself (the browser test skips without them)" >&2
    exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        as_root=(sudo)
    else
        echo "system-deps: not root and no sudo; install ${missing[*]} yourself" >&2
        exit 0
    fi
fi

echo "system-deps: installing ${missing[*]}"
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
