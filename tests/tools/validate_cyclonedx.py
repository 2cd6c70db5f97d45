"""Validates a CycloneDX 1.6 JSON document with the CycloneDX project's own Python library
(cyclonedx-python-lib): the strict JSON validator checks it against the 1.6 schema. Then checks
that it is an ML-BOM: a machine-learning-model with a model card, and `data` components.

usage: validate_cyclonedx.py FILE [MIN_DATASETS]
Exit 0 when valid; otherwise 1 with the validator's error on stderr.
"""
import json

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from bom_check import run


def validate(path: str):
    with open(path, "r", encoding="utf-8") as f:
        text = f.read()
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    if error is not None:
        # The validator's message ends with the whole schema; its first lines say what failed.
        return "schema: " + "\n".join(str(error).splitlines()[:3])
    doc = json.loads(text)
    components = [doc.get("metadata", {}).get("component", {})] + doc.get("components", [])
    models = [c for c in components if c.get("type") == "machine-learning-model" and "modelCard" in c]
    data = [c for c in components if c.get("type") == "data"]
    return len(models), len(data), ""


if __name__ == "__main__":
    run(validate, "machine-learning-model with a modelCard", "data components")
