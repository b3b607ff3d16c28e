"""explorer: a fast, local-first desktop explorer for OpenAPI-described REST APIs."""

__version__ = "0.1.0"
