"""Validates an SPDX 3.0.1 JSON-LD document with the SPDX project's own Python bindings
(spdx-python-model): reading checks every type, property and value; linking resolves every
reference; writing checks every required property and count. Then checks that the document
holds what a model's bill of materials must: an ai_AIPackage and, when asked, datasets.

usage: validate_spdx.py FILE [MIN_DATASETS]
Exit 0 when valid; otherwise 1 with the validator's error on stderr.
"""
import io

from spdx_python_model import v3_0_1 as spdx

from bom_check import run


def validate(path: str):
    objset = spdx.SHACLObjectSet()
    with open(path, "r", encoding="utf-8") as f:
        spdx.JSONLDDeserializer().read(f, objset)
    missing = objset.link()
    if missing:
        return f"unresolved references: {sorted(missing)}"
    spdx.JSONLDSerializer().write(objset, io.BytesIO())
    docs = list(objset.foreach_type(spdx.SpdxDocument))
    return (
        len(list(objset.foreach_type(spdx.ai_AIPackage))),
        len(list(objset.foreach_type(spdx.dataset_DatasetPackage))),
        "" if len(docs) == 1 else f"{len(docs)} SpdxDocument, expected one",
    )


if __name__ == "__main__":
    run(validate, "ai_AIPackage", "dataset_DatasetPackage")
