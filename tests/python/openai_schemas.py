"""Validators for OpenAI's published response schemas (tests/python/data/openai-schemas.json,
extracted from openai/openai-openapi by scripts/extract-openai-schemas.py). The document mixes
OpenAPI 3.0's `nullable: true` into 3.1 schemas; that is read as "or null"."""
import functools
import json
import os

import jsonschema

PATH = os.path.join(os.path.dirname(__file__), "data", "openai-schemas.json")


def _nullable(node):
    if isinstance(node, list):
        return [_nullable(v) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: _nullable(v) for k, v in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


@functools.cache
def _schemas():
    with open(PATH) as f:
        return {name: _nullable(schema) for name, schema in json.load(f)["schemas"].items()}


@functools.cache
def validator(name):
    return jsonschema.Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": {"schemas": _schemas()}})


def check(name, instance):
    """Raises with every violation listed (path and message) if `instance` does not meet the schema."""
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:300]}" for e in errors[:10]]
        raise AssertionError(f"not a valid {name}:\n" + "\n".join(lines))


@functools.cache
def _stream_event_schemas():
    """`type` -> the schema of that Responses stream event (ResponseStreamEvent's branches)."""
    schemas = _schemas()
    out = {}
    for branch in schemas["ResponseStreamEvent"]["anyOf"]:
        name = branch["$ref"].rsplit("/", 1)[-1]
        kind = schemas[name].get("properties", {}).get("type", {})
        for value in kind.get("enum", []) or [kind.get("const")]:
            out[value] = name
    return out


def check_stream_event(event):
    """A Responses stream event against its own branch (the union's error says only "no branch matched")."""
    name = _stream_event_schemas().get(event.get("type"))
    assert name, f"{event.get('type')!r} is not a Responses stream event type"
    check(name, event)
