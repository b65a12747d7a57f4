#!/usr/bin/env python3
"""Extracts, from OpenAI's published OpenAPI document (openai/openai-openapi,
MIT licence), the response schemas Frontier's OpenAI front doors must meet and
everything they refer to, into tests/python/data/openai-schemas.json, so the
tests validate offline. Usage: scripts/extract-openai-schemas.py openapi.json COMMIT"""
import json
import sys

ROOTS = ["CreateChatCompletionResponse", "CreateChatCompletionStreamResponse", "Response", "ResponseStreamEvent", "CreateEmbeddingResponse"]


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value.rsplit("/", 1)[-1]
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def main(path, commit):
    spec = json.load(open(path))
    schemas = spec["components"]["schemas"]
    keep, stack = {}, list(ROOTS)
    while stack:
        name = stack.pop()
        if name not in keep:
            keep[name] = schemas[name]
            stack.extend(refs(schemas[name]))
    out = {
        "source": f"https://github.com/openai/openai-openapi/blob/{commit}/openapi.json (MIT licence), OpenAPI {spec['openapi']}, API {spec['info']['version']}",
        "roots": ROOTS,
        "schemas": dict(sorted(keep.items())),
    }
    with open("tests/python/data/openai-schemas.json", "w") as f:
        json.dump(out, f, indent=None, separators=(",", ":"), sort_keys=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
