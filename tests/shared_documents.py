"""The public documents of ../shared/specs that the corpus, schema and window tests use
(one list: tests that read it skip when the folder is not there, as in a worktree)."""

from __future__ import annotations

from pathlib import Path

SHARED_SPECS = Path(__file__).resolve().parents[1].parent / "shared" / "specs"
DOCUMENTS = [
    "digitalocean-3.0.json",
    "docker-2.0.yaml",
    "stripe-3.0.yaml",
    "multi-file/petstore-separate/spec/openapi.yaml",
    "oas-examples/petstore-2.0.yaml",
    "oas-examples/train-travel-3.1.yaml",
    "oas-examples/security-3.1.yaml",
    "oas-examples/callbacks-3.0.json",
    "oas-examples/schema-circular-3.0.json",
    "oas-examples/polymorphism-3.0.json",
    "oas-examples/star-trek-3.0.yaml",
]
