"""A small OpenAPI document with one of everything the request editor builds."""

from __future__ import annotations

import json
from typing import Any

from explorer import spec
from explorer.spec import Spec

DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Acme API", "version": "1.0"},
    "servers": [
        {"url": "https://api.acme.test/v1", "description": "Production"},
        {
            "url": "http://127.0.0.1:{port}/api",
            "description": "Local",
            "variables": {"port": {"default": "8080"}},
        },
        {
            "url": "https://{region}.acme.test",
            "variables": {"region": {"default": "eu", "enum": ["eu", "us"]}},
        },
    ],
    "components": {
        "securitySchemes": {
            "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            "basicAuth": {"type": "http", "scheme": "basic"},
            "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            "queryKey": {"type": "apiKey", "in": "query", "name": "api_key"},
        },
        "schemas": {
            "Contact": {
                "type": "object",
                "required": ["email", "name"],
                "properties": {
                    "id": {"type": "string", "format": "uuid", "readOnly": True},
                    "name": {"type": "string", "minLength": 1},
                    "email": {"type": "string", "format": "email"},
                    "age": {"type": "integer", "minimum": 0, "maximum": 150},
                    "address": {
                        "type": "object",
                        "properties": {
                            "city": {"type": "string"},
                            "zip": {"type": "string"},
                        },
                    },
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            }
        },
    },
    "security": [{"bearerAuth": []}],
    "paths": {
        "/contacts/{contactId}": {
            "parameters": [
                {
                    "name": "contactId",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "format": "uuid"},
                    "description": "The contact's id.",
                }
            ],
            "get": {
                "operationId": "getContact",
                "summary": "Get a contact",
                "parameters": [
                    {
                        "name": "status",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["active", "archived"]},
                    },
                    {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
                        "description": "Page size.",
                    },
                    {"name": "ratio", "in": "query", "schema": {"type": "number"}},
                    {
                        "name": "ids",
                        "in": "query",
                        "schema": {"type": "array", "items": {"type": "integer"}},
                    },
                    {
                        "name": "email",
                        "in": "query",
                        "schema": {"type": "string", "format": "email"},
                    },
                    {
                        "name": "since",
                        "in": "query",
                        "schema": {"type": "string", "format": "date"},
                    },
                    {
                        "name": "old",
                        "in": "query",
                        "deprecated": True,
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "X-Request-ID",
                        "in": "header",
                        "required": True,
                        "schema": {"type": "string"},
                        "example": "req-1",
                    },
                    {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "ok"}},
            },
        },
        "/contacts": {
            "post": {
                "operationId": "createContact",
                "security": [{"bearerAuth": []}, {"apiKey": []}],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/Contact"},
                            "examples": {
                                "ada": {
                                    "summary": "Ada",
                                    "value": {"name": "Ada", "email": "ada@example.com"},
                                },
                                "bob": {
                                    "summary": "Bob",
                                    "value": {"name": "Bob", "email": "bob@example.com"},
                                },
                            },
                        },
                        "application/x-www-form-urlencoded": {
                            "schema": {"$ref": "#/components/schemas/Contact"}
                        },
                        "text/plain": {"schema": {"type": "string"}},
                    },
                },
                "responses": {"201": {"description": "created"}},
            },
        },
        "/contacts/import": {
            "post": {
                "operationId": "importContacts",
                "security": [{"basicAuth": []}],
                "requestBody": {
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["file"],
                                "properties": {
                                    "file": {"type": "string", "format": "binary"},
                                    "dryRun": {"type": "boolean"},
                                    "note": {"type": "string"},
                                },
                            }
                        }
                    }
                },
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/contacts/search": {
            "put": {
                "operationId": "searchContacts",
                "security": [{"queryKey": []}],
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Contact"}}
                    }
                },
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/health": {
            "get": {
                "operationId": "health",
                "security": [],
                "responses": {"200": {"description": "ok"}},
            }
        },
    },
}


def load() -> Spec:
    """The document above, loaded."""
    return spec.load_bytes(json.dumps(DOC).encode(), "memory://acme.json")
