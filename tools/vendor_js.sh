#!/usr/bin/env bash
# Regenerate book/_static_site/vendor/ from npm: the JavaScript the website needs to show
# widgets and maths with no network (the folder is committed; run this only to change versions).
#   tools/vendor_js.sh            needs node/npm; writes the folder afresh
# Versions are pinned here and listed in book/_static_site/vendor/README.md.
set -euo pipefail

HTML_MANAGER=1.0.7   # @jupyter-widgets/html-manager 1.x matches ipywidgets 8
REQUIREJS=2.3.8
MATHJAX=3.2.2
AXE=4.14.1          # axe-core, for the accessibility check of tests/test_site.py only (not on the site)

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/book/_static_site/vendor"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

cd "$TMP"
npm pack --silent "@jupyter-widgets/html-manager@$HTML_MANAGER" "requirejs@$REQUIREJS" "mathjax@$MATHJAX" "axe-core@$AXE" >/dev/null
for tgz in *.tgz; do mkdir -p "${tgz%.tgz}"; tar xzf "$tgz" -C "${tgz%.tgz}"; done
HM="$TMP/jupyter-widgets-html-manager-$HTML_MANAGER/package"
RJ="$TMP/requirejs-$REQUIREJS/package"
MJ="$TMP/mathjax-$MATHJAX/package"

# Keep README.md (hand-written) and wipe the rest.
find "$DEST" -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} + 2>/dev/null || mkdir -p "$DEST"

# 1. require.js (its MIT licence is in the file header).
cp "$RJ/require.js" "$DEST/require.js"

# 2. The widget manager, laid out as on npm. Its CSS asks for its icon fonts relative to the
#    module's require.js URL, <baseUrl>/@jupyter-widgets/html-manager/dist/ (baseUrl is set to this
#    folder by ../require_config.js). Browsers take the first format they know (woff2, else woff),
#    so the eot/ttf/svg copies are left out.
HMD="$DEST/@jupyter-widgets/html-manager/dist"
mkdir -p "$HMD"
cp "$HM/LICENSE" "$DEST/@jupyter-widgets/html-manager/"
cp "$HM/dist/embed-amd.js" "$HM"/dist/*.woff2 "$HM"/dist/*.woff "$HMD/"
cp "$HM/dist/embed.js.LICENSE.txt" "$HMD/embed-amd.js.LICENSE.txt"
#    Depending on which script require.js takes its base from when a page loads (a page reached from
#    another page, say), the same CSS asks for the fonts one level up, at <baseUrl>/@jupyter-widgets/:
#    they live there too, so no page ever logs a 404 for them.
cp "$HM"/dist/*.woff2 "$HM"/dist/*.woff "$DEST/@jupyter-widgets/"

# 3. MathJax 3: the tex-chtml component, its CHTML fonts (woff-v2) and the TeX extensions that
#    its autoload package may fetch. Nothing else is loaded by the pages (checked in tests/test_site.py).
M="$DEST/mathjax"
mkdir -p "$M/output/chtml/fonts" "$M/input/tex"
cp "$MJ/es5/tex-chtml.js" "$MJ/LICENSE" "$M/"
cp -r "$MJ/es5/output/chtml/fonts/woff-v2" "$M/output/chtml/fonts/"
cp -r "$MJ/es5/input/tex/extensions" "$M/input/tex/"

# 4. axe-core, for the tests only: tests/vendor/axe-core/ (its MPL-2.0 licence and third-party notices with it).
AX="$TMP/axe-core-$AXE/package"
mkdir -p "$ROOT/tests/vendor/axe-core"
cp "$AX/axe.min.js" "$AX/LICENSE" "$AX/LICENSE-3RD-PARTY.txt" "$ROOT/tests/vendor/axe-core/"

du -sh "$DEST"
