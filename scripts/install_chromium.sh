#!/bin/sh
# Chromium for the desk's browser tests (tests/test_desk_browser.py), from the system's
# packages: Playwright's own browser download needs the internet. Without root or apt the
# tests are skipped with a message naming this.
set -e
if command -v chromium >/dev/null 2>&1 || [ -n "$FOGMAP_CHROMIUM" ]; then
    exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the browser tests"
    apt-get install -y -qq chromium >/dev/null 2>&1 || {
        apt-get update -qq >/dev/null 2>&1
        apt-get install -y -qq chromium >/dev/null
    }
else
    echo "note: no chromium; the browser tests will be skipped (apt install chromium)"
fi
