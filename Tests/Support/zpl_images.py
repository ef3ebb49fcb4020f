"""Turns ZPL back into images with zebrafy (an independent ZPL reader) and writes one PNG per
graphic field: `zpl_images.py JOB.zpl OUT_FOLDER DPI` prints the PNG paths, one a line.

Test tooling only. zebrafy reads ^GFA fields (plain hex, ZPL's run-length ACS, and Z64 with its
CRC checked); LPrint stores each label as a downloaded graphic (~DG name,total,row,DATA) and
prints it with ^XG name, so those are rewritten to the ^GFA fields they stand for first.
"""
import os
import re
import sys

from zebrafy import ZebrafyZPL

DOWNLOAD = re.compile(r"~DG([^,]+),(\d+),(\d+),([^~^]*)", re.DOTALL)
RECALL = re.compile(r"\^XG([^,^]+)(?:,\d+,\d+)?")


def inline_downloaded_graphics(zpl: str) -> str:
    graphics = {}

    def keep(match: re.Match) -> str:
        graphics[match.group(1).strip()] = (match.group(2), match.group(3), "".join(match.group(4).split()))
        return ""

    zpl = DOWNLOAD.sub(keep, zpl)

    def recall(match: re.Match) -> str:
        name = match.group(1).strip()
        if name not in graphics:
            raise SystemExit(f"^XG recalls {name}, which no ~DG downloaded")
        total, row, data = graphics[name]
        return f"^GFA,{total},{total},{row},{data}"

    return RECALL.sub(recall, zpl)


def main() -> None:
    path, folder, dpi = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(path, "rb") as handle:
        zpl = handle.read().decode("latin-1")
    zpl = inline_downloaded_graphics(zpl)
    os.makedirs(folder, exist_ok=True)
    for index, image in enumerate(ZebrafyZPL(zpl, dpi=dpi).to_images()):
        out = os.path.join(folder, f"label-{index + 1}.png")
        image.save(out, dpi=(dpi, dpi))
        print(out)


if __name__ == "__main__":
    main()
