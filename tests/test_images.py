"""Images: the local hero and logo, and a generator speaking OpenAI's images API."""

from __future__ import annotations

import base64
import io
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from PIL import Image

from kenzy import images
from kenzy.errors import ProviderError, UsageError

pytestmark = pytest.mark.anyio


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 90)).save(buffer, "PNG")
    return buffer.getvalue()


@contextmanager
def fake_images(status: int = 200, payload: Any = None) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    seen: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802
            seen.append({"path": self.path, "auth": self.headers.get("Authorization"),
                         **json.loads(self.rfile.read(int(self.headers["Content-Length"])))})
            body = json.dumps(payload if payload is not None else
                              {"created": 1, "data": [{"b64_json": base64.b64encode(_png(1536, 1024)).decode()}]}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", seen
    finally:
        server.shutdown()
        server.server_close()


def _size(data: bytes) -> tuple[int, int]:
    image = Image.open(io.BytesIO(data))
    assert image.format == "WEBP"
    return image.size


def test_local_images_and_their_sizes() -> None:
    hero = images.hero("Restaurante do João", "restaurante", "pt_BR")
    logo = images.logo("Restaurante do João", "restaurante", "pt_BR")
    assert _size(hero.data) == (1600, 900) and hero.alt == "Arte abstrata nas cores de Restaurante do João"
    assert {v.size: _size(v.data) for v in hero.variants} == {"large": (1024, 576), "medium_large": (768, 432)}
    assert _size(logo.data) == (512, 512) and [(v.size, _size(v.data)) for v in logo.variants] == [("thumbnail", (150, 150))]
    assert images.initials("Restaurante do João") == "RJ" and images.initials("Joe's Pizza") == "JP"
    assert hero.data == images.hero("Restaurante do João", "restaurante", "pt_BR").data  # deterministic
    assert hero.data != images.hero("Pizzaria Roma", "restaurante", "pt_BR").data


async def test_generated_hero_uses_the_images_api() -> None:
    with fake_images() as (base_url, seen):
        hero = await images.generated_hero("Clínica Vida", "saude", "pt_BR", "Recife", model="openai:gpt-image-1",
                                           base_url=base_url, api_key="sk-img")
    assert _size(hero.data) == (1600, 900) and len(hero.variants) == 2
    request = seen[0]
    assert request["path"] == "/v1/images/generations" and request["auth"] == "Bearer sk-img"
    assert request["model"] == "gpt-image-1" and "Recife" in request["prompt"] and "No text" in request["prompt"]
    assert hero.alt == "Foto ilustrativa de Clínica Vida"


async def test_generator_errors_are_clear() -> None:
    with fake_images(status=429, payload={"error": {"message": "rate limited"}}) as (base_url, _):
        with pytest.raises(ProviderError, match=r"images provider failed \(HTTP 429\).*rate limited"):
            await images.generated_hero("X Y", "saude", "pt_BR", None, model="openai:m", base_url=base_url, api_key=None)
    with fake_images(payload={"data": [{"b64_json": base64.b64encode(b"not an image").decode()}]}) as (base_url, _):
        with pytest.raises(ProviderError, match="held no image"):
            await images.generated_hero("X Y", "saude", "pt_BR", None, model="openai:m", base_url=base_url, api_key=None)
    with pytest.raises(ProviderError, match="cannot reach"):
        await images.generated_hero("X Y", "saude", "pt_BR", None, model="openai:m", base_url="http://127.0.0.1:9/v1",
                                    api_key=None)
    with pytest.raises(UsageError, match="openai:<model>"):
        await images.generated_hero("X Y", "saude", "pt_BR", None, model="dalle", base_url="http://x", api_key=None)
