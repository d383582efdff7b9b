"""The tool set's conventions, and that `import kenzy` stays light."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import BaseModel

from kenzy import Kenzy, Settings
from kenzy.errors import InvalidInput, SiteNotFound, UsageError
from kenzy.tools import REGISTRY

pytestmark = pytest.mark.anyio

EXPECTED = {"provision_local", "destroy_site", "site_status", "list_sites"}


def test_every_tool_is_typed_and_documented() -> None:
    assert EXPECTED <= set(REGISTRY)
    for spec in REGISTRY.values():
        assert issubclass(spec.input_model, BaseModel) and issubclass(spec.output_model, BaseModel)
        assert len(spec.description) > 40, spec.name
        schema = spec.input_schema()
        assert schema["type"] == "object"
    assert REGISTRY["destroy_site"].destructive
    assert not REGISTRY["provision_local"].destructive


def test_provision_schema_is_stable() -> None:
    schema = REGISTRY["provision_local"].input_schema()
    assert schema["required"] == ["business_name", "industry"]
    assert set(schema["properties"]) == {
        "business_name", "industry", "subdomain", "locale", "city", "template", "options"
    }


def test_python_api_is_generated_from_the_registry() -> None:
    k = Kenzy(Settings(home="/nonexistent-kenzy-home"))
    assert EXPECTED <= set(dir(k))
    assert k.provision_local.__doc__ == REGISTRY["provision_local"].description
    with pytest.raises(AttributeError):
        _ = k.no_such_tool


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ({"business_name": "", "industry": "restaurante"}, "business name"),
        ({"business_name": "Bar", "industry": "cassino"}, "industry"),
        ({"business_name": "Bar", "industry": "restaurante", "subdomain": "www"}, "reserved"),
        ({"business_name": "Bar", "industry": "restaurante", "subdomain": "../x"}, "subdomain"),
        ({"industry": "restaurante"}, "business_name"),
        ({"business_name": "Bar", "industry": "restaurante", "locale": 5}, "locale"),
    ],
)
async def test_bad_input_is_rejected_before_anything_happens(tmp_path, args, match) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "home"
    k = Kenzy(Settings(home=home))
    with pytest.raises(InvalidInput, match=match):
        await k.provision_local(**args)
    assert not home.exists()  # nothing created, not even the state directory


async def test_unknown_tool_and_site(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from kenzy.tools import ToolContext, call

    with pytest.raises(UsageError, match="no tool named"):
        await call("nope", {}, ToolContext(Settings(home=tmp_path)))
    k = Kenzy(Settings(home=tmp_path))
    with pytest.raises(SiteNotFound, match="kenzy sites"):
        await k.site_status(subdomain="ghost")
    with pytest.raises(SiteNotFound):
        await k.destroy_site(subdomain="ghost")
    with pytest.raises(InvalidInput):
        await k.destroy_site(subdomain="../../etc")


def test_import_kenzy_is_light() -> None:
    code = (
        "import sys, kenzy, kenzy.tools, kenzy.api; "
        "heavy = {'jinja2','redis','pymysql','httpx','typer','rich','agno','mcp','kubernetes_asyncio','aioboto3'}; "
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_package_exports() -> None:
    import kenzy

    for name in kenzy.__all__:
        assert getattr(kenzy, name) is not None
