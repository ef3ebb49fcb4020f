"""Decodes every barcode in an image with zxing-cpp and prints one JSON object a symbol.

Test tooling only: lotbox's tests run it with Debian's /usr/bin/python3 (python3-zxing-cpp,
python3-pil) on what lotbox rendered, so the decoder is a real one, not lotbox's own.

Debian 12's zxing-cpp 1.4.0 aborts (an assertion in Result::operator==) when read_barcodes
merges the rows of a tall linear code found among other symbols, so matrix codes are read with
read_barcodes and linear codes with read_barcode (one linear code per image).
"""
import json
import sys

import zxingcpp
from PIL import Image

image = Image.open(sys.argv[1]).convert("L")
results = list(zxingcpp.read_barcodes(image, formats=zxingcpp.MatrixCodes))
linear = zxingcpp.read_barcode(image, formats=zxingcpp.LinearCodes)
if linear is not None and linear.valid:
    results.append(linear)
for result in results:
    print(json.dumps({
        "format": str(result.format).split(".")[-1],
        "text": result.text,
        "bytes": result.bytes.hex() if isinstance(result.bytes, (bytes, bytearray)) else "",
        "symbology_identifier": result.symbology_identifier,
        "valid": bool(result.valid),
    }))
