#!/usr/bin/env bash
# Refreshes the vendored front-end libraries in static/vendor/ from the npm registry.
# The app serves them itself: no CDN at run time (strict CSP, closed staff networks).
set -euo pipefail
BOOTSTRAP_VERSION=5.3.8
HTMX_VERSION=2.0.7
CHARTJS_VERSION=4.6.1
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "bootstrap@${BOOTSTRAP_VERSION}" "htmx.org@${HTMX_VERSION}" \
  "chart.js@${CHARTJS_VERSION}" >/dev/null)
mkdir -p static/vendor/bootstrap static/vendor/htmx static/vendor/chartjs
tar -xzf "$work/bootstrap-${BOOTSTRAP_VERSION}.tgz" -C "$work"
cp "$work/package/dist/css/bootstrap.min.css" "$work/package/dist/js/bootstrap.bundle.min.js" \
   "$work/package/LICENSE" static/vendor/bootstrap/
rm -rf "$work/package"
tar -xzf "$work/htmx.org-${HTMX_VERSION}.tgz" -C "$work"
cp "$work/package/dist/htmx.min.js" "$work/package/LICENSE" static/vendor/htmx/
rm -rf "$work/package"
# Chart.js (the manager dashboard): the UMD build, which defines window.Chart.
tar -xzf "$work/chart.js-${CHARTJS_VERSION}.tgz" -C "$work"
cp "$work/package/dist/chart.umd.min.js" static/vendor/chartjs/
cp "$work/package/LICENSE.md" static/vendor/chartjs/LICENSE
# Source maps are not shipped; drop their references so collectstatic can hash the files.
sed -i "/sourceMappingURL=/d" static/vendor/bootstrap/*.min.* static/vendor/htmx/htmx.min.js \
  static/vendor/chartjs/chart.umd.min.js
printf 'bootstrap %s\nhtmx.org %s\nchart.js %s\n' "$BOOTSTRAP_VERSION" "$HTMX_VERSION" \
  "$CHARTJS_VERSION" > static/vendor/VERSIONS
echo "static/vendor refreshed"
