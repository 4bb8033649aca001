#!/usr/bin/env bash
# Vendor the built U.S. Web Design System (@uswds/uswds) into
# src/pandu/static/vendor/uswds/.
#
# Usage: scripts/update-uswds.sh [VERSION]
#
# Only what a site needs is copied: the minified CSS and JS, the LICENSE, and
# exactly the fonts and images that uswds.min.css references through url(...).
# The target folder is deleted and recreated on every run, so the script is
# idempotent. It ends by checking that every relative url(...) in the copied
# CSS resolves to a file that exists in the target folder.
#
# The trailing sourceMappingURL comments are removed from the copied .min.css
# and .min.js: the .map files are not vendored, and Django's
# ManifestStaticFilesStorage (used through WhiteNoise) fails collectstatic on a
# sourceMappingURL that points to a missing file.
set -euo pipefail

# Pinned version: the latest 3.x release when this was last updated.
DEFAULT_VERSION="3.14.0"
VERSION="${1:-$DEFAULT_VERSION}"

if [[ ! "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
    echo "error: VERSION must be an exact version like 3.14.0, got '$VERSION'" >&2
    exit 2
fi

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="$REPO_ROOT/src/pandu/static/vendor/uswds"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo "Fetching @uswds/uswds@$VERSION ..."
(cd "$TMP" && npm pack --silent "@uswds/uswds@$VERSION" >/dev/null)
shopt -s nullglob
tarballs=("$TMP"/*.tgz)
shopt -u nullglob
if [[ ${#tarballs[@]} -ne 1 ]]; then
    echo "error: expected one tarball from npm pack, found ${#tarballs[@]}" >&2
    exit 1
fi
tar -xzf "${tarballs[0]}" -C "$TMP"
PKG="$TMP/package"
DIST="$PKG/dist"

pkg_version="$(node -p "require(process.argv[1]).version" "$PKG/package.json")"
if [[ "$pkg_version" != "$VERSION" ]]; then
    echo "error: tarball has version $pkg_version, expected $VERSION" >&2
    exit 1
fi

# Print the relative file paths (relative to the css/ folder) that a CSS file
# references through url(...): quotes removed, data:/absolute/protocol-relative
# URLs, empty url() and fragment-only refs skipped, ?query and #fragment removed.
css_refs() {
    grep -oE 'url\([^)]*\)' "$1" \
        | sed -E 's/^url\(//; s/\)$//; s/^[[:space:]]+//; s/[[:space:]]+$//' \
        | sed -E "s/^[\"']//; s/[\"']\$//" \
        | grep -vE '^$|^#|^[A-Za-z][A-Za-z0-9+.-]*:|^/' \
        | sed -E 's/[?#].*$//' \
        | grep -v '^$' \
        | sort -u || true
}

# Strip a trailing sourceMappingURL comment (CSS or JS style) from a file.
strip_sourcemap() {
    sed -i -E '/^\/\*# sourceMappingURL=.*\*\/$/d; /^\/\/# sourceMappingURL=.*$/d' "$1"
}

case "$TARGET" in
    */src/pandu/static/vendor/uswds) ;;
    *) echo "error: refusing to delete unexpected target $TARGET" >&2; exit 1 ;;
esac
rm -rf "$TARGET"
mkdir -p "$TARGET/css" "$TARGET/js"

cp "$DIST/css/uswds.min.css" "$TARGET/css/uswds.min.css"
cp "$DIST/js/uswds.min.js" "$TARGET/js/uswds.min.js"
cp "$DIST/js/uswds-init.min.js" "$TARGET/js/uswds-init.min.js"
for f in "$TARGET/css/uswds.min.css" "$TARGET/js/uswds.min.js" "$TARGET/js/uswds-init.min.js"; do
    strip_sourcemap "$f"
done
cp "$PKG/LICENSE.md" "$TARGET/LICENSE.md"
printf '%s\n' "$VERSION" > "$TARGET/VERSION"

# Copy exactly the files that the CSS references (fonts, images, and the
# img/sprite.svg or img/usa-icons/ files only in so far as they are referenced).
missing_src=0
while IFS= read -r ref; do
    [[ -n "$ref" ]] || continue
    rel="$(realpath -m --relative-to="$DIST" "$DIST/css/$ref")"
    case "$rel" in
        ../*|/*) echo "warning: url($ref) points outside the package, skipped" >&2; continue ;;
    esac
    if [[ -f "$DIST/$rel" ]]; then
        mkdir -p "$TARGET/$(dirname "$rel")"
        cp "$DIST/$rel" "$TARGET/$rel"
    else
        echo "warning: url($ref) not found in the package" >&2
        missing_src=1
    fi
done < <(css_refs "$TARGET/css/uswds.min.css")

# Check: every relative url(...) in the copied CSS resolves to a file under the
# target folder; no sourceMappingURL points to a file that is not vendored.
echo "Checking url(...) references in css/uswds.min.css ..."
unresolved=0
checked=0
while IFS= read -r ref; do
    [[ -n "$ref" ]] || continue
    checked=$((checked + 1))
    resolved="$(realpath -m "$TARGET/css/$ref")"
    case "$resolved" in
        "$TARGET"/*) ;;
        *) echo "UNRESOLVED (outside vendor folder): url($ref)" >&2; unresolved=1; continue ;;
    esac
    if [[ ! -f "$resolved" ]]; then
        echo "UNRESOLVED: url($ref)" >&2
        unresolved=1
    fi
done < <(css_refs "$TARGET/css/uswds.min.css")
if grep -rlE 'sourceMappingURL=' "$TARGET/css" "$TARGET/js" >/dev/null; then
    echo "error: a sourceMappingURL comment remains in the vendored CSS/JS" >&2
    unresolved=1
fi
if [[ $unresolved -ne 0 || $missing_src -ne 0 ]]; then
    echo "error: some url(...) references do not resolve" >&2
    exit 1
fi
echo "All $checked distinct relative url(...) references resolve."

file_count="$(find "$TARGET" -type f | wc -l)"
total_bytes="$(find "$TARGET" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')"
echo "Vendored @uswds/uswds $VERSION into ${TARGET#"$REPO_ROOT"/}:"
du -sh "$TARGET"/* | sed "s|$TARGET/||"
echo "Total: $file_count files, $total_bytes bytes ($(du -sh "$TARGET" | cut -f1) on disk)"
