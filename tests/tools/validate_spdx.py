"""Validates an SPDX 3.0.1 JSON-LD document with the SPDX project's own Python bindings
(spdx-python-model): reading checks every type, property and value; linking resolves every
reference; writing checks every required property and count. Then checks that the document
holds what a model's bill of materials must: an ai_AIPackage and, when asked, datasets.

usage: validate_spdx.py FILE [MIN_DATASETS]
Exit 0 when valid; otherwise 1 with the validator's error on stderr.
"""
import io
import sys

from spdx_python_model import v3_0_1 as spdx


def main() -> int:
    path = sys.argv[1]
    min_datasets = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    objset = spdx.SHACLObjectSet()
    with open(path, "r", encoding="utf-8") as f:
        spdx.JSONLDDeserializer().read(f, objset)
    missing = objset.link()
    if missing:
        print(f"unresolved references: {sorted(missing)}", file=sys.stderr)
        return 1
    spdx.JSONLDSerializer().write(objset, io.BytesIO())
    models = list(objset.foreach_type(spdx.ai_AIPackage))
    datasets = list(objset.foreach_type(spdx.dataset_DatasetPackage))
    docs = list(objset.foreach_type(spdx.SpdxDocument))
    if not models:
        print("no ai_AIPackage", file=sys.stderr)
        return 1
    if len(datasets) < min_datasets:
        print(f"{len(datasets)} dataset_DatasetPackage, expected at least {min_datasets}", file=sys.stderr)
        return 1
    if len(docs) != 1:
        print(f"{len(docs)} SpdxDocument, expected one", file=sys.stderr)
        return 1
    print(f"valid: {len(models)} ai_AIPackage, {len(datasets)} dataset_DatasetPackage")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # the validator's own error is the message the test shows
        print(f"{type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
