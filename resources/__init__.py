"""The files the app reads, installed as the package `explorer.resources` (see
explorer/demo.py): the ECOSIRE demo document (ecosire/openapi.json, assembled from
ecosire/src/ by `python -m explorer.demo_build`) and the icons. No code here."""
