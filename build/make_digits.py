"""Write nnweb/engine/data/digits.bin.gz from scikit-learn's bundled copy of the 8x8 digits.

Run once (needs scikit-learn, which nnweb itself never imports):
    python build/make_digits.py
Format: gzip of uint8 rows of 65 bytes, 64 pixels (0..16) then the label (0..9).
"""
import gzip
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits

OUT = Path(__file__).resolve().parent.parent / "nnweb" / "engine" / "data" / "digits.bin.gz"


def main() -> None:
    digits = load_digits()
    table = np.concatenate([digits.data, digits.target[:, None]], axis=1).astype(np.uint8)
    OUT.write_bytes(gzip.compress(table.tobytes(), compresslevel=9, mtime=0))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(table)} digits)")


if __name__ == "__main__":
    main()
