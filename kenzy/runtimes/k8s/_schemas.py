"""Strict schema validation with kubernetes-validate's schemas, fast enough for thousands of
sites.

``kubernetes_validate.validate`` reads and parses the 1.5 MB definitions file and builds a
jsonschema validator on every call (~20 ms). kenzy loads each schema once and compiles it
into nested Python checks covering the keywords those schemas use (``type``, ``enum``,
``properties``, ``additionalProperties``, ``required``, ``items``, ``oneOf``, ``$ref``; as in
draft 2020-12, ``format`` is an annotation only). A schema with any other assertion keyword
falls back to jsonschema. When the fast check fails, kubernetes-validate itself runs to name
the error, so messages are the library's own; the tests check both agree.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

__all__ = ["SchemaError", "check", "supported_version"]

Check = Callable[[Any], bool]

_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
}
_ANNOTATIONS = {"description", "format", "$schema", "$id", "title", "default", "readOnly", "discriminator"}
_HANDLED = {"type", "enum", "properties", "additionalProperties", "required", "items", "oneOf", "$ref"}


class SchemaError(Exception):
    """An object failed strict validation: ``path`` and ``message`` as kubernetes-validate reports them."""

    def __init__(self, version: str, path: str, message: str) -> None:
        self.version = version
        self.path = path
        self.message = message
        super().__init__(f"{path or '(top)'}: {message} (Kubernetes {version})")


class _Unsupported(Exception):
    pass


_PY_TYPES = {"object": dict, "array": list, "string": str, "null": type(None)}


def _type_check(kinds: list[str]) -> Check:
    """One ``isinstance`` for the plain types; booleans and numbers need care (True is an int)."""
    plain = tuple(_PY_TYPES[k] for k in kinds if k in _PY_TYPES)
    others = [_TYPES[k] for k in kinds if k not in _PY_TYPES]
    if not others:
        return lambda v: isinstance(v, plain)
    return lambda v: isinstance(v, plain) or any(t(v) for t in others)


def _all_of(checks: list[Check]) -> Check:
    if not checks:
        return lambda v: True
    first = checks[0]
    for nxt in checks[1:]:
        first = (lambda a, b: lambda v: a(v) and b(v))(first, nxt)
    return first


class _Compiler:
    """Compiles one version's schemas; ``$ref`` targets are compiled once and shared."""

    def __init__(self, definitions: dict[str, Any]) -> None:
        self._defs = definitions["$defs"]
        self._compiled: dict[str, Check] = {}

    def ref(self, ref: str) -> Check:
        name = ref.rsplit("/", 1)[-1]
        if name not in self._compiled:
            slot: list[Check] = []
            self._compiled[name] = lambda v: slot[0](v)  # recursion (JSONSchemaProps) resolves later
            slot.append(self.compile(self._defs[name]))
            self._compiled[name] = slot[0]
        return self._compiled[name]

    def compile(self, schema: dict[str, Any]) -> Check:  # noqa: C901 - one branch per keyword
        unknown = {k for k in schema if k not in _HANDLED and k not in _ANNOTATIONS and not k.startswith("x-")}
        if unknown:
            raise _Unsupported(unknown)
        checks: list[Check] = []
        if "$ref" in schema:
            checks.append(self.ref(schema["$ref"]))
        if "type" in schema:
            checks.append(_type_check(schema["type"] if isinstance(schema["type"], list) else [schema["type"]]))
        if "enum" in schema:
            allowed = schema["enum"]
            checks.append(lambda v: any(v == a and type(v) is type(a) for a in allowed))
        if "oneOf" in schema:
            options = [self.compile(s) for s in schema["oneOf"]]
            checks.append(lambda v: sum(1 for o in options if o(v)) == 1)
        if "items" in schema:
            item = self.compile(schema["items"])
            checks.append(lambda v: not isinstance(v, list) or all(item(i) for i in v))
        props = {k: self.compile(s) for k, s in (schema.get("properties") or {}).items()}
        extra = schema.get("additionalProperties", True)
        extra_check = self.compile(extra) if isinstance(extra, dict) else None
        required = tuple(schema.get("required") or ())
        if props or extra is not True or required:
            def obj(v: Any) -> bool:
                if not isinstance(v, dict):
                    return True
                for key, value in v.items():
                    test = props.get(key)
                    if test is not None:
                        if not test(value):
                            return False
                    elif extra is False or (extra_check is not None and not extra_check(value)):
                        return False
                return all(k in v for k in required)
            checks.append(obj)
        return _all_of(checks)


def _schema_dir(version: str) -> str:
    return f"kubernetes-json-schema/v{_resolved(version)}-local-strict"


@cache
def _resolved(version: str) -> str:
    """The newest schema set not newer than ``version`` (the library's own rule, numerically)."""
    from kubernetes_validate import utils

    wanted = tuple(int(p) for p in utils.major_minor(version.lstrip("v")).split("."))
    found = [v for v in utils.all_versions() if tuple(int(p) for p in utils.major_minor(v).split(".")) <= wanted]
    if not found:
        raise ValueError(f"kubernetes-validate has no schemas for Kubernetes {version}")
    return found[-1]


def supported_version(version: str) -> str:
    """``major.minor`` of the schemas used for ``version``.

    Raises:
        ValueError: the installed kubernetes-validate has no schemas that old.
    """
    from kubernetes_validate import utils

    latest = tuple(int(p) for p in utils.major_minor(utils.latest_version()).split("."))
    if tuple(int(p) for p in utils.major_minor(version.lstrip("v")).split(".")) > latest:
        raise ValueError(f"kubernetes-validate {utils.__version__} has no schemas for Kubernetes {version}")
    return utils.major_minor(_resolved(version))


@cache
def _compiler(version: str) -> _Compiler:
    from kubernetes_validate import utils

    return _Compiler(utils.schema_contents(f"{_schema_dir(version)}/_definitions.json", version))


@cache
def _validator(version: str, api_version: str, kind: str) -> Check | None:
    """The compiled check for one kind, or None when its schema needs jsonschema."""
    import re

    from kubernetes_validate import utils

    group = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    schema = utils.schema_contents(f"{_schema_dir(version)}/{kind.lower()}-{group}.json", version)
    try:
        return _compiler(version).compile(schema)
    except _Unsupported:
        return None


def check(obj: dict[str, Any], version: str) -> None:
    """Validate ``obj`` strictly against Kubernetes ``version``'s schema.

    Raises:
        SchemaError: the object does not validate (the library's path and message).
        ValueError: no schema exists for its kind and apiVersion in that version.
    """
    try:
        test = _validator(version, obj["apiVersion"], obj["kind"])
    except FileNotFoundError as exc:
        raise ValueError(f"no schema for {obj['apiVersion']} {obj['kind']} in Kubernetes {version}") from exc
    if test is not None and test(obj):
        return
    import kubernetes_validate

    try:
        kubernetes_validate.validate(obj, version, strict=True)
    except kubernetes_validate.ValidationError as exc:
        raise SchemaError(exc.version, ".".join(str(p) for p in exc.path), exc.message) from None
    # Only reached if the compiled check and the library disagree: the library's verdict stands.
