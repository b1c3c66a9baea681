"""A real LSP client (pytest-lsp) driving the real `perflint server` process, for the tests."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys

from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig
from pytest_lsp.client import (
    DEFAULT_CLIENT_FEATURES,
    LanguageClient,
    client_capabilities,
    default_converter,
    register_lsp_features,
)

from tests.helpers import REPO

TIMEOUT = 60  # seconds a test waits for the server before failing (a hang, not a speed check)


def capabilities(encodings: list[str] | None = None) -> types.ClientCapabilities:
    """VS Code's capabilities, with `general.positionEncodings` set to `encodings` when given."""
    caps = client_capabilities("visual-studio-code")
    if encodings is not None:
        caps.general = types.GeneralClientCapabilities(position_encodings=encodings)
    return caps


@contextlib.asynccontextmanager
async def server(options: dict | None = None, encodings: list[str] | None = None, cwd=None):
    """An initialised client of a fresh `python -m perflint server`; shut down on leaving."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    config = ClientServerConfig(
        server_command=[sys.executable, "-m", "perflint", "server"],
        server_env=env,
        client_factory=_client,
    )
    previous = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)  # the server starts in the client's working directory
    try:
        client = await config.start()
    finally:
        os.chdir(previous)
    options = {"debounce": 0, **(options or {})}
    client.init_result = await asyncio.wait_for(
        client.initialize_session(
            types.InitializeParams(
                capabilities=capabilities(encodings), initialization_options=options
            )
        ),
        TIMEOUT,
    )
    try:
        yield client
    finally:
        await asyncio.wait_for(client.shutdown_session(), TIMEOUT)


def _client():
    """pytest-lsp's test client, also keeping every publishDiagnostics (with its version) and the
    capabilities the server registers."""

    def published(client: LanguageClient, params: types.PublishDiagnosticsParams):
        client.diagnostics[params.uri] = params.diagnostics
        client.published.append(params)

    def register(client: LanguageClient, params: types.RegistrationParams):
        client.registrations.extend(params.registrations)

    client = LanguageClient(converter_factory=default_converter)
    client.published, client.registrations = [], []
    features = {**DEFAULT_CLIENT_FEATURES, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: published}
    features[types.CLIENT_REGISTER_CAPABILITY] = register
    register_lsp_features(client, features)
    return client


def uri_of(path) -> str:
    return from_fs_path(str(path))


async def published_for(client, uri: str, count: int = 1) -> list:
    """Wait until `count` publishDiagnostics for `uri` have come (since the client started);
    the diagnostics of the last one."""

    async def wait():
        while sum(p.uri == uri for p in client.published) < count:
            await asyncio.sleep(0.01)

    await asyncio.wait_for(wait(), TIMEOUT)
    return [p for p in client.published if p.uri == uri][-1].diagnostics


async def open_document(client, path, text: str, language: str = "yaml") -> list:
    """Open `text` as the document at `path`; the diagnostics published for it."""
    uri = uri_of(path)
    before = sum(p.uri == uri for p in client.published)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, language, 1, text))
    )
    return await published_for(client, uri, before + 1)


async def change_document(client, path, version: int, changes: list) -> list:
    """Send one didChange with `changes` (TextDocumentContentChangeEvent…); the next diagnostics."""
    uri = uri_of(path)
    before = sum(p.uri == uri for p in client.published)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=uri, version=version), changes,
    ))  # fmt: skip
    return await published_for(client, uri, before + 1)


def whole(text: str):
    return types.TextDocumentContentChangeWholeDocument(text=text)


def apply_edits(text: str, edits, encoding: str = "utf-16") -> str:
    """Apply LSP TextEdits to `text` as an editor does (positions in `encoding`)."""
    import re

    from perflint.server.positions import Lines

    lines = Lines(text)
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def offset(position) -> int:
        number, col = lines.point(position.line, position.character, encoding)
        return starts[number - 1] + col - 1 if number - 1 < len(starts) else len(text)

    for edit in sorted(
        edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
    ):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text
