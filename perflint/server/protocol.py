"""The pygls glue: which LSP messages the server answers and what it does for each.

Documents are linted on open and save at once, and on change after a short pause (`debounce`,
100 ms unless the client's initializationOptions say otherwise), so a burst of keystrokes costs
one lint. A hover, code action or completion on a document whose findings are older than its
text lints it first, so no answer is computed from stale positions. Every handler catches its
own errors: a bad request or a document perflint cannot make sense of gives a diagnostic or
nothing, and the server keeps running.

initializationOptions (all optional):
    lang      "zh" | "en"     message language (else the configuration's `lang`, else zh)
    debounce  milliseconds    pause after a change before linting (default 100)
    args      [str, …]        extra `perflint check` options, e.g. ["--profile", "legacy"]
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from perflint import __version__
from perflint.server import actions, assist
from perflint.server.findings import problem_to_lsp, to_lsp
from perflint.server.positions import Lines
from perflint.server.session import Session
from perflint.server.wire import Protocol, exit_now, log_to_stderr

log = logging.getLogger("perflint.server")

DEBOUNCE_MS = 100
# Documents that are not text an editor holds: linted from the file on open and save.
BINARY_SUFFIXES = (".docx", ".doc", ".xlsx", ".xlsm", ".xls", ".wps", ".et")
SNIFF_CHARS = 65536


@dataclass
class State:
    """What the server last published for one document."""

    version: int | None
    text: str
    linted: object  # session.Linted, or None when the document is not a goal file
    published: list  # the LSP diagnostics, in the order of linted.diagnostics
    lines: Lines
    encoding: str


class PerflintServer(LanguageServer):
    def __init__(self):
        super().__init__(
            "perflint",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=Protocol,
        )
        self.session: Session | None = None
        self.options: dict = {}
        self.debounce = DEBOUNCE_MS / 1000
        self.states: dict[str, State] = {}
        self.timers: dict[str, object] = {}
        self.shut_down = False  # a shutdown request came: exit then ends with status 0

    def report_server_error(self, error, source) -> None:
        """Errors outside a request (an unreadable message, a failed notification): logged to the
        client's output, not shown as a pop-up on every keystroke."""
        try:
            self.window_log_message(
                types.LogMessageParams(types.MessageType.Error, f"perflint server: {error}")
            )
        except Exception:
            log.exception("cannot report %s", error)

    # -- settings

    def start_session(self, options) -> None:
        options = options if isinstance(options, dict) else {}
        self.options = options
        lang = options.get("lang") if options.get("lang") in ("zh", "en") else None
        try:
            self.debounce = (
                max(0.0, min(float(options.get("debounce", DEBOUNCE_MS)), 5000.0)) / 1000
            )
        except (TypeError, ValueError):
            self.debounce = DEBOUNCE_MS / 1000
        extra = options.get("args") or ()
        extra = tuple(str(a) for a in extra) if isinstance(extra, (list, tuple)) else ()
        try:
            self.session = Session(extra, lang)
        except SystemExit:  # argparse refused the extra arguments (its message went to stderr)
            self.show(
                f"perflint：忽略无效的 args {list(extra)}",
                f"perflint: invalid args {list(extra)} ignored",
            )
            self.session = Session((), lang)

    def show(self, zh: str, en: str, kind=types.MessageType.Warning) -> None:
        lang = self.session.lang() if self.session else "zh"
        self.window_show_message(types.ShowMessageParams(kind, en if lang == "en" else zh))

    @property
    def encoding(self) -> str:
        value = self.workspace.position_encoding or types.PositionEncodingKind.Utf16
        return getattr(value, "value", value)

    # -- linting and publishing

    def path_of(self, uri: str, language: str | None = None) -> str:
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if path:
            return path
        suffix = ".txt" if language == "plaintext" else ".yaml"
        return os.path.join(os.getcwd(), "untitled" + suffix)

    def lint(self, uri: str) -> State | None:
        """Lint the document now and publish its diagnostics; its new State (None when it is closed)."""
        self.cancel_timer(uri)
        if self.session is None:
            self.start_session({})
        document = self.workspace.text_documents.get(uri)
        if document is None:
            return None
        path = self.path_of(uri, document.language_id)
        text = document.source
        encoding = self.encoding
        lines = Lines(text)
        linted, published = None, []
        try:
            filing = _is_filing_uri(uri, text)
            if filing and path.lower().endswith(BINARY_SUFFIXES):
                linted = self.session.lint_path(path)
            elif filing and _is_goal_document(path, text):
                linted = self.session.lint_text(path, text)
            if linted is not None:
                lang = self.session.lang(path)
                if linted.problem is not None:
                    published = [problem_to_lsp(linted.problem, lang)]
                else:
                    published = [
                        to_lsp(d, lines, encoding, lang, linted.rules, uri)
                        for d in linted.diagnostics
                    ]
        except Exception as error:
            log.exception("linting %s failed", uri)
            self.window_log_message(
                types.LogMessageParams(
                    types.MessageType.Error, f"perflint: {type(error).__name__}: {error}"
                )
            )
            linted, published = None, []
        state = State(document.version, text, linted, published, lines, encoding)
        self.states[uri] = state
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri, published, document.version)
        )
        return state

    def current(self, uri: str) -> State | None:
        """The document's State, linted afresh when its text changed since."""
        document = self.workspace.text_documents.get(uri)
        if document is None:
            return None
        state = self.states.get(uri)
        if state is None or state.text != document.source or state.encoding != self.encoding:
            state = self.lint(uri)
        return state

    def schedule(self, uri: str) -> None:
        import asyncio

        self.cancel_timer(uri)
        if self.debounce <= 0:
            self.lint(uri)
            return
        loop = asyncio.get_running_loop()
        self.timers[uri] = loop.call_later(self.debounce, self._lint_quietly, uri)

    def _lint_quietly(self, uri: str) -> None:
        self.timers.pop(uri, None)
        try:
            self.lint(uri)
        except Exception:
            log.exception("linting %s failed", uri)

    def cancel_timer(self, uri: str) -> None:
        timer = self.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()

    def relint_all(self) -> None:
        if self.session is not None:
            self.session.invalidate()
        for uri in list(self.workspace.text_documents):
            self.lint(uri)


def _is_filing_uri(uri: str, text: str) -> bool:
    """Whether the document can be a filing: a file, or an unsaved buffer with something typed.
    A client sends other documents of a language too — VS Code its chat input, output panes and
    settings as `plaintext` under their own schemes — and a new, empty buffer is no filing yet."""
    if uri.startswith("file:"):
        return True
    return uri.startswith("untitled:") and bool(text.strip())


def _is_goal_document(path: str, text: str) -> bool:
    """False for documents that are plainly not goal filings — perflint's and pre-commit's own
    configuration, YAML whose top-level keys are all ASCII words (docker-compose.yml, a CI
    workflow), text without a tab row or a goal-table word — as a directory walk skips them."""
    from perflint.config import CONFIG_NAMES
    from perflint.discovery import NEVER_GOALS, is_other_text

    name = os.path.basename(path)
    if name in NEVER_GOALS or name in CONFIG_NAMES:
        return False
    return not is_other_text(path, text[:SNIFF_CHARS])


def _is_config(uri: str) -> bool:
    from perflint.config import CONFIG_NAMES

    return os.path.basename(uri.rstrip("/")) in CONFIG_NAMES


def _overlaps(a, b) -> bool:
    """Whether LSP ranges a and b touch (an empty range at a finding's edge counts)."""
    start_a, end_a = (a.start.line, a.start.character), (a.end.line, a.end.character)
    start_b, end_b = (b.start.line, b.start.character), (b.end.line, b.end.character)
    return start_a <= end_b and start_b <= end_a


def _contains(r, line: int, character: int) -> bool:
    return (r.start.line, r.start.character) <= (line, character) <= (r.end.line, r.end.character)


def _wants(only, kind: str) -> bool:
    """Whether a code action of `kind` answers a request limited to the kinds `only`."""
    if not only:
        return True
    return any(kind == k or kind.startswith(str(k) + ".") for k in only)


def build() -> PerflintServer:
    """A server with every feature registered."""
    ls = PerflintServer()

    @ls.feature(types.INITIALIZE)
    def initialize(ls: PerflintServer, params: types.InitializeParams):
        ls.start_session(params.initialization_options)

    @ls.feature(types.INITIALIZED)
    def initialized(ls: PerflintServer, params):
        capabilities = ls.client_capabilities
        watched = capabilities.workspace and capabilities.workspace.did_change_watched_files
        if watched and watched.dynamic_registration:
            from perflint.config import CONFIG_NAMES

            watchers = [types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_NAMES]
            registration = types.Registration(
                id="perflint-config-watch",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
            )
            try:
                ls.client_register_capability(types.RegistrationParams([registration]))
            except Exception:
                log.exception("registering file watchers failed")

    @ls.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: PerflintServer, params: types.DidOpenTextDocumentParams):
        ls.lint(params.text_document.uri)

    @ls.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: PerflintServer, params: types.DidChangeTextDocumentParams):
        ls.schedule(params.text_document.uri)

    @ls.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: PerflintServer, params: types.DidSaveTextDocumentParams):
        if _is_config(params.text_document.uri):
            ls.relint_all()
        else:
            ls.lint(params.text_document.uri)

    @ls.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: PerflintServer, params: types.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        ls.cancel_timer(uri)
        ls.states.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))

    @ls.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files(ls: PerflintServer, params: types.DidChangeWatchedFilesParams):
        ls.relint_all()

    @ls.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def changed_configuration(ls: PerflintServer, params: types.DidChangeConfigurationParams):
        ls.relint_all()

    @ls.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, actions.FIX_ALL],
            resolve_provider=False,
        ),
    )
    def code_action(ls: PerflintServer, params: types.CodeActionParams):
        state = ls.current(params.text_document.uri)
        if state is None or state.linted is None or state.linted.problem is not None:
            return []
        if state.linted.path.lower().endswith(BINARY_SUFFIXES):
            return []  # no text to edit: fixes to Word and Excel files are the fixer's (perflint check --fix)
        uri, lang = params.text_document.uri, ls.session.lang(state.linted.path)
        only = params.context.only if params.context else None
        found = []
        wanted = [i for i, d in enumerate(state.published) if _overlaps(d.range, params.range)]
        if _wants(only, types.CodeActionKind.QuickFix):
            found += actions.quick_fixes(
                state.linted, state.published, wanted, state.lines, state.encoding, lang, uri
            )
            for index in wanted:
                action = actions.disable_action(
                    state.linted,
                    index,
                    state.published[index],
                    state.lines,
                    state.encoding,
                    lang,
                    uri,
                )
                if action is not None:
                    found.append(action)
        if _wants(only, actions.FIX_ALL):
            action = actions.fix_all(ls.session, state.linted, state.encoding, lang, uri)
            if action is not None:
                found.append(action)
        return found

    @ls.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: PerflintServer, params: types.HoverParams):
        state = ls.current(params.text_document.uri)
        if state is None or state.linted is None or state.linted.problem is not None:
            return None
        at = params.position
        indexes = [
            i for i, d in enumerate(state.published) if _contains(d.range, at.line, at.character)
        ]
        if not indexes:
            return None
        text = assist.hover_text(state.linted, indexes, ls.session.lang(state.linted.path))
        return types.Hover(
            types.MarkupContent(types.MarkupKind.Markdown, text), state.published[indexes[0]].range
        )

    @ls.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=["=", ",", ":", " "]),
    )
    def completion(ls: PerflintServer, params: types.CompletionParams):
        state = ls.current(params.text_document.uri)
        if state is None or state.linted is None:
            return None
        at = params.position
        line = state.lines.line(at.line + 1)
        col = state.lines.point(at.line, at.character, state.encoding)[1]
        context = assist.completion_context(state.lines.lines, at.line, line[: col - 1])
        if context is None:
            return None
        kind, partial = context
        path, lang = state.linted.path, ls.session.lang(state.linted.path)
        rules = state.linted.rules or ls.session.rules()
        items = assist.completions(kind, partial, ls.session, path, rules, lang)
        return types.CompletionList(is_incomplete=False, items=items)

    @ls.feature(types.SHUTDOWN)
    def shutdown(ls: PerflintServer, params):
        for uri in list(ls.timers):
            ls.cancel_timer(uri)
        ls.shut_down = True

    @ls.feature(types.EXIT)
    def exit_(ls: PerflintServer, params):
        exit_now(0 if ls.shut_down else 1)

    return ls


def serve() -> int:
    """Speak LSP over standard input and output until the client says exit."""
    import sys

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but the protocol may reach the client's pipe
    log_to_stderr()
    ls = build()
    ls.start_io(stdin, stdout)
    return 0
