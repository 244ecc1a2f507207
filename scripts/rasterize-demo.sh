#!/usr/bin/env bash
# Makes the raster images that social sites show in link previews, which do not show SVG:
#
#   - a JPEG beside each SVG story image of the demo (internal/demo/content/media/images/
#     stories/*.svg → *.jpg, at the SVG's own size, 1200×675), which the stories name as their
#     lead image;
#   - the site-wide card (internal/web/static/card.png, 1200×630) shown for pages without an
#     image of their own, and the square logo (static/logo.png, 512×512) that structured data
#     names as the alliance's, both from the site's icon.
#
# Run it after changing a source SVG; it needs Debian's librsvg2-bin (rsvg-convert), netpbm
# (pngtopnm) and libjpeg-turbo-progs (cjpeg). These are build tools: the site does not need
# them at run time.
#
#   scripts/rasterize-demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in rsvg-convert pngtopnm cjpeg; do
	command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install librsvg2-bin netpbm libjpeg-turbo-progs" >&2; exit 1; }
done

# Quality 82 keeps the flat illustrations sharp at 50–150 KB each.
for svg in internal/demo/content/media/images/stories/*.svg; do
	jpg=${svg%.svg}.jpg
	rsvg-convert --background-color=white "$svg" | pngtopnm | cjpeg -quality 82 -optimize -progressive >"$jpg"
	printf '%s %s\n' "$(stat -c %s "$jpg")" "$jpg"
done

static=internal/web/static
rsvg-convert -w 512 -h 512 "$static/icon.svg" -o "$static/logo.png"
# The card: the icon centred on the icon's own blue, at the size social sites crop least.
rsvg-convert scripts/card.svg -o "$static/card.png"
ls -l "$static/logo.png" "$static/card.png"
