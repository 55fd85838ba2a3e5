#!/usr/bin/env bash
# Install the Debian packages the build and the tests need, if any is missing.
#   libicu-dev, pkg-config: PyICU (alphabetical order per language) compiles against ICU.
#   chromium: the browser tests drive Debian's Chromium headless (nothing downloads a browser).
#   npm: installs axe-core, which the accessibility tests inject into pages.
set -euo pipefail
packages=(libicu-dev pkg-config chromium)
command -v npm >/dev/null 2>&1 || packages+=(npm)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
