"""Pre-training data preparation for baseline-1.4b: the filters applied, in order, to every
document before tokenization. Run as `python dedup_filter.py --config configs/baseline-1.4b-dataprep.yaml` inside the
training container; the manifest records this file's SHA-256 and the container's digest."""

import hashlib
import re
import unicodedata

MIN_CHARS = 200
MAX_SYMBOL_RATIO = 0.1
MINHASH_PERMUTATIONS = 128
MINHASH_BANDS = 16
JACCARD_THRESHOLD = 0.8
LANGUAGES = ['en', 'ja']


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def keep(doc: dict) -> bool:
    text = doc["text"]
    if len(text) < MIN_CHARS:
        return False
    if doc.get("lang") not in LANGUAGES:
        return False
    symbols = sum(1 for c in text if not (c.isalnum() or c.isspace()))
    return symbols / max(len(text), 1) <= MAX_SYMBOL_RATIO


def shingles(text: str, n: int = 5):
    words = text.split()
    for i in range(max(len(words) - n + 1, 1)):
        yield " ".join(words[i : i + n])


def minhash(text: str, seed: int = 20260412) -> list[int]:
    out = []
    for p in range(MINHASH_PERMUTATIONS):
        salt = f"{seed}:{p}".encode()
        out.append(min(int.from_bytes(hashlib.blake2b(salt + s.encode(), digest_size=8).digest(), "big")
                       for s in shingles(text)))
    return out
