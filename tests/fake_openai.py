"""A local HTTP server speaking OpenAI's chat-completions protocol, for the real-model path.

It records every request and answers from a script: a function of the request body that
returns either a tool call ``("tool", name, arguments)`` or a text ``("text", content)``.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Script = Callable[[dict[str, Any]], tuple[Any, ...]]


def _completion(model: str, answer: tuple[Any, ...]) -> dict[str, Any]:
    if answer[0] == "tool":
        message = {"role": "assistant", "content": None, "tool_calls": [
            {"id": f"call_{uuid.uuid4().hex[:10]}", "type": "function",
             "function": {"name": answer[1], "arguments": json.dumps(answer[2], ensure_ascii=False)}}]}
        finish = "tool_calls"
    else:
        message = {"role": "assistant", "content": answer[1]}
        finish = "stop"
    return {"id": f"chatcmpl-{uuid.uuid4().hex[:10]}", "object": "chat.completion", "created": int(time.time()),
            "model": model, "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}}


@contextmanager
def fake_openai(script: Script) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Serve on 127.0.0.1; yields (base_url, recorded request bodies)."""
    requests: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            requests.append({"path": self.path, "auth": self.headers.get("Authorization"), **body})
            if not self.path.endswith("/chat/completions"):
                self.send_error(404)
                return
            payload = json.dumps(_completion(body.get("model", "fake"), script(body))).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", requests
    finally:
        server.shutdown()
        server.server_close()
