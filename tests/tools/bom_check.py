"""What the two bill-of-materials validators share: reading `FILE [MIN_DATASETS]`, the
final count check, and turning the validator's own exception into exit 1 with its message."""
import sys
from typing import Callable, Tuple

# A validator reads the file and answers (models, datasets, what it counted), or raises, or
# returns an error string.
Validate = Callable[[str], "Tuple[int, int, str] | str"]


def run(validate: Validate, model_kind: str, dataset_kind: str) -> None:
    path = sys.argv[1]
    min_datasets = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    try:
        found = validate(path)
    except Exception as e:  # the validator's own error is the message the test shows
        found = f"{type(e).__name__}: {e}"
    if isinstance(found, str):
        print(found, file=sys.stderr)
        sys.exit(1)
    models, datasets, extra = found
    if not models:
        print(f"no {model_kind}", file=sys.stderr)
        sys.exit(1)
    if datasets < min_datasets:
        print(f"{datasets} {dataset_kind}, expected at least {min_datasets}", file=sys.stderr)
        sys.exit(1)
    if extra:
        print(extra, file=sys.stderr)
        sys.exit(1)
    print(f"valid: {models} {model_kind}, {datasets} {dataset_kind}")
    sys.exit(0)
