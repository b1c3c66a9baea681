"""The language server's pure parts: position conversion, the one-edit fix-all, suppression edits."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from perflint.server.actions import _reads_as_suppression, minimal_edit, suppressed_line
from perflint.server.positions import Lines, from_units, to_units, units
from tests.lsp_client import apply_edits

TEXTS = st.text(alphabet=st.sampled_from(list("ab 指标≥%𠀀😀\t")), max_size=30)


def test_units_of_cjk_and_astral_characters():
    assert [units("指", e) for e in ("utf-16", "utf-8", "utf-32")] == [1, 3, 1]
    assert [units("𠀀", e) for e in ("utf-16", "utf-8", "utf-32")] == [2, 4, 1]
    line = "𠀀指标: 95%"
    assert to_units(line, 5, "utf-16") == 5  # 𠀀 (2) 指 标 :
    assert to_units(line, 5, "utf-8") == 11
    assert to_units(line, 5, "utf-32") == 4


@given(TEXTS, st.sampled_from(["utf-8", "utf-16", "utf-32"]))
def test_columns_round_trip_through_every_encoding(line, encoding):
    for col in range(1, len(line) + 2):
        assert from_units(line, to_units(line, col, encoding), encoding) == col


def test_a_position_inside_a_character_snaps_to_its_start():
    assert from_units("𠀀a", 1, "utf-16") == 1  # between the two halves of 𠀀
    assert from_units("指a", 2, "utf-8") == 1
    assert from_units("ab", 99, "utf-16") == 3  # past the end: the line's end


def test_lines_split_as_editors_do():
    lines = Lines("a\r\nb\rc\nd")
    assert lines.lines == ["a", "b", "c", "d"]
    assert lines.position(9, 1, "utf-16") == (3, 1)  # beyond the text: clamped to its end


@given(TEXTS, TEXTS, st.sampled_from(["utf-8", "utf-16", "utf-32"]))
def test_minimal_edit_turns_old_into_new(old, new, encoding):
    old, new = old.replace("\t", "\n"), new.replace("\t", "\n")
    assert apply_edits(old, [minimal_edit(old, new, encoding)], encoding) == new


def test_suppressed_line_appends_or_extends_the_comment():
    assert (
        suppressed_line("    指标值: 95%", "PF203") == "    指标值: 95%  # perflint: disable=PF203"
    )
    assert (
        suppressed_line("    指标值: 95%  # perflint: disable=PF204", "PF203")
        == "    指标值: 95%  # perflint: disable=PF204,PF203"
    )
    assert (
        suppressed_line("    指标值: 95%  # perflint: disable=PF203", "PF203")
        == "    指标值: 95%  # perflint: disable=PF203"
    )


def test_a_comment_inside_a_block_scalar_is_not_offered_as_a_suppression():
    text = "项目:\n  - 项目名称: |-\n      甲【2024】\n      乙\n"
    lines = Lines(text)
    assert not _reads_as_suppression(
        "g.yaml", lines, 3, "      甲【2024】  # perflint: disable=PF403", "PF403"
    )
    assert _reads_as_suppression(
        "g.yaml", lines, 2, "  - 项目名称: |-  # perflint: disable=PF403", "PF403"
    )


def test_check_does_not_import_the_server_libraries():
    """pygls and lsprotocol are an ordinary dependency, imported only by `perflint server`."""
    import subprocess
    import sys

    from tests.helpers import EXAMPLES, REPO

    code = (
        "import sys\nfrom perflint.cli import main\n"
        f"status = main(['check', '--no-cache', '-q', {str(EXAMPLES / 'huailai-xinfang-2024.yaml')!r}])\n"
        "print(status, 'pygls' in sys.modules, 'lsprotocol' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stderr.strip().splitlines()[-1] == "1 False False"


def test_handled_notifications_leave_no_futures_behind(tmp_path):
    """pygls keeps a future per generator / async handler; the server forgets them when they are
    done (else memory grows with every keystroke: bench/bench_server.py)."""
    import asyncio
    import json

    from perflint.server.protocol import build

    class Sink:
        def write(self, data):
            pass

        def close(self):
            pass

    ls = build()
    ls.protocol.set_writer(Sink())
    uri = (tmp_path / "goal.yaml").as_uri()

    def handle(message: dict) -> None:
        ls.protocol.handle_message(
            json.loads(
                json.dumps({"jsonrpc": "2.0", **message}), object_hook=ls.protocol.structure_message
            )
        )

    async def session():
        handle(
            {
                "id": 1,
                "method": "initialize",
                "params": {"capabilities": {}, "initializationOptions": {"debounce": 0}},
            }
        )
        handle({"method": "initialized", "params": {}})
        handle(
            {
                "method": "textDocument/didOpen",
                "params": {
                    "textDocument": {
                        "uri": uri,
                        "languageId": "yaml",
                        "version": 1,
                        "text": "项目: []\n",
                    }
                },
            }
        )
        for version in range(2, 52):
            handle({"method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": f"项目: [] # {version}\n"}],
            }})  # fmt: skip
            await asyncio.sleep(0)
        for _ in range(20):
            await asyncio.sleep(0)
        return len(ls.protocol._request_futures)

    assert asyncio.run(session()) == 0
