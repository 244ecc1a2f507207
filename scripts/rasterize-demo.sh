#!/usr/bin/env bash
# Makes the raster images that social sites show in link previews, which do not show SVG:
#
#   - a JPEG beside the SVG illustration of some of the demo's stories (internal/demo/content/
#     media/images/stories/KEY.svg → KEY.jpg, at the SVG's own size, 1200×675), which those
#     stories name as their lead image: by default the six newest, those a visitor is likeliest
#     to share; the others keep their SVG and their previews show the site card. Each raster
#     image costs its srcset copies (internal/media) at every import of the demo, about 160 ms
#     of CPU for one of these — the tests load the demo into a new database a hundred times —
#     so the demo has a few rather than thirty. Give story keys to make others, or --all.
#   - the site-wide card (internal/web/static/card.png, 1200×630) shown for pages without an
#     image of their own, and the square logo (static/logo.png, 512×512) that structured data
#     names as the alliance's, both from the site's icon.
#
# Run it after changing a source SVG; it needs Debian's librsvg2-bin (rsvg-convert), netpbm
# (pngtopnm) and libjpeg-turbo-progs (cjpeg). These are build tools: the site does not need
# them at run time. A story's front matter must then name KEY.jpg as its image.
#
#   scripts/rasterize-demo.sh [--all | KEY...]
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in rsvg-convert pngtopnm cjpeg; do
	command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install librsvg2-bin netpbm libjpeg-turbo-progs" >&2; exit 1; }
done

stories=internal/demo/content/media/images/stories
keys=("$@")
if [ "${1:-}" = --all ]; then
	keys=()
	for svg in "$stories"/*.svg; do keys+=("$(basename "$svg" .svg)"); done
elif [ ${#keys[@]} -eq 0 ]; then
	keys=(progress-report-brussels digital-teaching-webinar-2027 open-labs-forum-2027-granada
		bip-catalogue-2026-27 welcome-weeks-2026 cork-community-gardens)
fi

# Quality 82 keeps the flat illustrations sharp at 15–70 KB each.
for key in "${keys[@]}"; do
	svg=$stories/$key.svg jpg=$stories/$key.jpg
	rsvg-convert --background-color=white "$svg" | pngtopnm | cjpeg -quality 82 -optimize -progressive >"$jpg"
	printf '%s %s\n' "$(stat -c %s "$jpg")" "$jpg"
done

static=internal/web/static
rsvg-convert -w 512 -h 512 "$static/icon.svg" -o "$static/logo.png"
# The card: the icon centred on the icon's own blue, at the size social sites crop least.
rsvg-convert scripts/card.svg -o "$static/card.png"
ls -l "$static/logo.png" "$static/card.png"
