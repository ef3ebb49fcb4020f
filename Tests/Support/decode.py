"""Decodes every barcode in an image with zxing-cpp and prints one JSON object a symbol.

Test tooling only: lotbox's tests run it with Debian's /usr/bin/python3 (python3-zxing-cpp,
python3-pil) on what lotbox rendered, so the decoder is a real one, not lotbox's own.
"""
import json
import sys

import zxingcpp
from PIL import Image

image = Image.open(sys.argv[1]).convert("L")
for result in zxingcpp.read_barcodes(image):
    print(json.dumps({
        "format": str(result.format).split(".")[-1],
        "text": result.text,
        "bytes": result.bytes.hex() if isinstance(result.bytes, (bytes, bytearray)) else "",
        "symbology_identifier": result.symbology_identifier,
        "valid": bool(result.valid),
    }))
