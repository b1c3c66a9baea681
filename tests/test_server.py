"""`perflint server` driven by a real LSP client (pytest-lsp) over the real process's stdio:
initialize, open, change, save, code actions, hover, completion, shutdown — and the findings
compared with `perflint check` on the same files and settings."""

from __future__ import annotations

import asyncio
import json
import shutil

import pytest
from lsprotocol import types

from perflint.server.positions import Lines, to_units
from tests.helpers import EXAMPLES, run
from tests.lsp_client import (
    apply_edits,
    change_document,
    open_document,
    published_for,
    server,
    uri_of,
    whole,
)

pytestmark = pytest.mark.asyncio

SEEDS = sorted(EXAMPLES.glob("*.yaml")) + sorted(EXAMPLES.glob("*.txt"))
ASTRAL_YAML = """\
项目:
  - 项目编码: 13073024P000585100016
    项目名称: 𠀀信访专项怀财字【2024】7号
    绩效指标:
      - 一级指标: 产出指标
        二级指标: 质量指标
        三级指标: 𠀀维稳工作正常开展率
        绩效指标描述: 维稳工作正常开展率
        指标值: 95%
        指标值确定依据: 年初工作计划
"""


def cli_findings(path, *args, cwd=None) -> list[tuple]:
    """(code, start, end) of `perflint check` on `path`, positions as LSP UTF-16 (line, character)."""
    result = run("check", "--format", "json", "--no-cache", *args, str(path), cwd=cwd)
    assert result.returncode in (0, 1), result.err
    lines = Lines(path.read_text(encoding="utf-8"))
    found = []
    for item in json.loads(result.out):
        start = lines.position(item["location"]["row"], item["location"]["column"], "utf-16")
        end = lines.position(item["end_location"]["row"], item["end_location"]["column"], "utf-16")
        found.append((item["code"], start, end, item["message"], item["severity"], item["url"]))
    return sorted(found)


def lsp_findings(diagnostics) -> list[tuple]:
    severity = {1: "error", 2: "warning", 3: "info"}
    return sorted(
        (d.code, (d.range.start.line, d.range.start.character), (d.range.end.line, d.range.end.character), d.message,
         severity[d.severity], d.code_description.href if d.code_description else None)
        for d in diagnostics
    )  # fmt: skip


def actions_at(client, path, diagnostic, only=None):
    context = types.CodeActionContext(diagnostics=[diagnostic], only=only)
    params = types.CodeActionParams(
        types.TextDocumentIdentifier(uri_of(path)), diagnostic.range, context
    )
    return asyncio.wait_for(client.text_document_code_action_async(params), 60)


async def test_initialize_announces_the_features():
    async with server() as client:
        caps = client.init_result.capabilities
        assert caps.position_encoding == "utf-16"
        assert caps.hover_provider
        assert set(caps.code_action_provider.code_action_kinds) == {
            "quickfix",
            "source.fixAll.perflint",
        }
        assert "=" in caps.completion_provider.trigger_characters
        assert caps.text_document_sync.change == types.TextDocumentSyncKind.Incremental
        assert client.init_result.server_info.name == "perflint"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
async def test_same_findings_as_the_cli_on_the_seeds(seed, tmp_path):
    path = tmp_path / seed.name
    shutil.copy(seed, path)
    expected = cli_findings(path)
    assert expected  # the seeds have real defects
    async with server() as client:
        diagnostics = await open_document(
            client,
            path,
            path.read_text(encoding="utf-8"),
            "plaintext" if seed.suffix == ".txt" else "yaml",
        )
    assert lsp_findings(diagnostics) == expected
    assert all(d.source == "perflint" for d in diagnostics)


async def test_same_findings_as_the_cli_under_a_configuration(tmp_path):
    """select / ignore / severity / per-file-ignores / profile from the governing config, and a
    suppression comment: the server's findings are the CLI's."""
    (tmp_path / ".perflint.yaml").write_text(
        "ignore: [PF204]\nseverity: {PF203: error}\nper-file-ignores:\n  'sub/*.yaml': [PF403]\nprofile: legacy\n",
        encoding="utf-8",
    )
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "goal.yaml"
    text = (EXAMPLES / "huailai-xinfang-2024.yaml").read_text(encoding="utf-8")
    text = text.replace("指标值: 100%\n", "指标值: 100%  # perflint: disable=PF203\n", 1)
    path.write_text(text, encoding="utf-8")
    expected = cli_findings(path, cwd=tmp_path)
    codes = {f[0] for f in expected}
    assert "PF204" not in codes and "PF403" not in codes and "PF203" in codes
    assert all(f[4] == "error" for f in expected if f[0] == "PF203")
    async with server(cwd=tmp_path) as client:
        diagnostics = await open_document(client, path, text)
    assert lsp_findings(diagnostics) == expected


@pytest.mark.parametrize(
    ("offered", "chosen"),
    [
        (None, "utf-16"),
        (["utf-8", "utf-16"], "utf-8"),
        (["utf-32"], "utf-32"),
        (["utf-16", "utf-8"], "utf-16"),
    ],
)
async def test_positions_in_the_negotiated_encoding_after_cjk_and_astral_characters(
    offered, chosen, tmp_path
):
    path = tmp_path / "goal.yaml"
    path.write_text(ASTRAL_YAML, encoding="utf-8")
    async with server(encodings=offered) as client:
        assert client.init_result.capabilities.position_encoding == chosen
        diagnostics = await open_document(client, path, ASTRAL_YAML)
    lines = ASTRAL_YAML.split("\n")
    by_code = {d.code: d for d in diagnostics}
    pf403 = by_code["PF403"].range  # 【2024】 after 𠀀 and four CJK characters (and 怀财字)
    line = lines[2]
    start = line.index("【")
    assert pf403.start.line == 2
    assert pf403.start.character == to_units(line, start + 1, chosen)
    assert pf403.end.character == to_units(line, start + 7, chosen)
    expected_start = {
        "utf-16": start + 1,
        "utf-8": len(line[:start].encode("utf-8")),
        "utf-32": start,
    }[chosen]
    assert (
        pf403.start.character == expected_start
    )  # 𠀀 is 2 UTF-16 units, 4 UTF-8 bytes, 1 code point


async def test_an_edit_is_linted_and_stale_findings_go(tmp_path):
    path = tmp_path / "goal.yaml"
    path.write_text(ASTRAL_YAML, encoding="utf-8")
    async with server(encodings=["utf-16"]) as client:
        diagnostics = await open_document(client, path, ASTRAL_YAML)
        assert "PF203" in {d.code for d in diagnostics}
        line = ASTRAL_YAML.split("\n")[8]
        character = line.index("95%")
        change = types.TextDocumentContentChangePartial(
            range=types.Range(types.Position(8, character), types.Position(8, character)), text="≥"
        )
        diagnostics = await change_document(client, path, 2, [change])
        assert "PF203" not in {d.code for d in diagnostics}
        published = [p for p in client.published if p.uri == uri_of(path)]
        assert published[-1].version == 2


async def test_changes_in_a_burst_are_linted_once_for_the_last_text(tmp_path):
    path = tmp_path / "goal.yaml"
    path.write_text(ASTRAL_YAML, encoding="utf-8")
    async with server({"debounce": 400}) as client:
        await open_document(client, path, ASTRAL_YAML)
        uri = uri_of(path)
        for version in range(2, 7):
            client.text_document_did_change(types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                [whole(ASTRAL_YAML.replace("95%", "≥95%") if version == 6 else ASTRAL_YAML)],
            ))  # fmt: skip
        diagnostics = await published_for(client, uri, 2)
        versions = [p.version for p in client.published if p.uri == uri]
    assert versions == [1, 6]
    assert "PF203" not in {d.code for d in diagnostics}


async def test_invalid_yaml_mid_edit_gives_a_parse_error_then_recovers(tmp_path):
    path = tmp_path / "goal.yaml"
    path.write_text(ASTRAL_YAML, encoding="utf-8")
    async with server() as client:
        await open_document(client, path, ASTRAL_YAML)
        broken = ASTRAL_YAML.replace("指标值: 95%", "指标值: [95%")
        diagnostics = await change_document(client, path, 2, [whole(broken)])
        assert [d.code for d in diagnostics] == ["PF001"]
        assert diagnostics[0].severity == types.DiagnosticSeverity.Error
        diagnostics = await change_document(client, path, 3, [whole(ASTRAL_YAML)])
        assert "PF001" not in {d.code for d in diagnostics} and diagnostics


async def test_quick_fix_applies_and_the_cli_agrees(tmp_path):
    # a document number in a basis gets a safe fix (in the 项目名称 the fix is unsafe: the name
    # must match the budget system)
    text = ASTRAL_YAML.replace("指标值确定依据: 年初工作计划", "指标值确定依据: 怀财字【2024】8号")
    path = tmp_path / "goal.yaml"
    path.write_text(text, encoding="utf-8")
    async with server(encodings=["utf-8"]) as client:
        diagnostics = await open_document(client, path, text)
        in_name, pf403 = sorted(
            (d for d in diagnostics if d.code == "PF403"), key=lambda d: d.range.start.line
        )
        actions = await actions_at(client, path, pf403, only=[types.CodeActionKind.QuickFix])
        fixes = [a for a in actions if a.title.startswith("修复 PF403")]
        assert len(fixes) == 1 and fixes[0].is_preferred and fixes[0].kind == "quickfix"
        fixed = apply_edits(text, fixes[0].edit.changes[uri_of(path)], "utf-8")
        assert "怀财字〔2024〕8号" in fixed and fixed.count("\n") == text.count("\n")
        diagnostics = await change_document(client, path, 2, [whole(fixed)])
        name_actions = await actions_at(client, path, in_name, only=[types.CodeActionKind.QuickFix])
    assert [a.is_preferred for a in name_actions if a.title.startswith("修复 PF403")] == [False]
    path.write_text(fixed, encoding="utf-8")
    assert [f[0] for f in cli_findings(path)].count("PF403") == 1
    assert [d.code for d in diagnostics].count("PF403") == 1


async def test_unsafe_fixes_are_marked_and_not_preferred(tmp_path):
    path = tmp_path / "goal.yaml"
    path.write_text(ASTRAL_YAML, encoding="utf-8")
    async with server() as client:
        diagnostics = await open_document(client, path, ASTRAL_YAML)
        pf203 = next(d for d in diagnostics if d.code == "PF203")
        actions = await actions_at(client, path, pf203)
    unsafe = [a for a in actions if "PF203" in a.title and "不安全" in a.title]
    assert len(unsafe) == 1 and not unsafe[0].is_preferred


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
async def test_fix_all_is_what_check_fix_writes(seed, tmp_path):
    path = tmp_path / seed.name
    shutil.copy(seed, path)
    text = path.read_text(encoding="utf-8")
    expected = run(
        "check",
        "--fix",
        "--no-cache",
        "--stdin-filename",
        str(path),
        "-",
        input=text.encode("utf-8"),
    ).out
    assert expected != text  # the seeds have safe fixes
    async with server() as client:
        diagnostics = await open_document(client, path, text)
        actions = await actions_at(
            client, path, diagnostics[0], only=[types.CodeActionKind.SourceFixAll]
        )
    assert [a.kind for a in actions] == ["source.fixAll.perflint"]
    assert apply_edits(text, actions[0].edit.changes[uri_of(path)]) == expected


async def test_disable_for_this_line_silences_only_that_finding(tmp_path):
    path = tmp_path / "goal.yaml"
    path.write_text(ASTRAL_YAML, encoding="utf-8")
    async with server() as client:
        diagnostics = await open_document(client, path, ASTRAL_YAML)
        pf203 = next(d for d in diagnostics if d.code == "PF203")
        actions = await actions_at(client, path, pf203)
        disable = [a for a in actions if a.title == "对此行禁用 PF203"]
        assert len(disable) == 1
        edited = apply_edits(ASTRAL_YAML, disable[0].edit.changes[uri_of(path)])
        assert "指标值: 95%  # perflint: disable=PF203\n" in edited
        after = await change_document(client, path, 2, [whole(edited)])
    codes = [d.code for d in after]
    assert "PF203" not in codes and "PF009" not in codes
    assert sorted(codes) == sorted(d.code for d in diagnostics if d.code != "PF203")


async def test_disable_on_a_block_scalar_goes_on_its_header_line(tmp_path):
    """A finding on a block scalar spans it from its header line: the comment goes there (where
    YAML allows one), and the scalar's text is unchanged."""
    text = ASTRAL_YAML.replace(
        "    项目名称: 𠀀信访专项怀财字【2024】7号\n",
        "    项目名称: |-\n      𠀀信访专项怀财字【2024】7号\n",
    )
    path = tmp_path / "goal.yaml"
    path.write_text(text, encoding="utf-8")
    async with server() as client:
        diagnostics = await open_document(client, path, text)
        pf403 = next(d for d in diagnostics if d.code == "PF403")
        actions = await actions_at(client, path, pf403)
        disable = [a for a in actions if a.title == "对此行禁用 PF403"]
        assert len(disable) == 1
        edited = apply_edits(text, disable[0].edit.changes[uri_of(path)])
        assert (
            "    项目名称: |-  # perflint: disable=PF403\n      𠀀信访专项怀财字【2024】7号\n"
            in edited
        )
        after = await change_document(client, path, 2, [whole(edited)])
    assert "PF403" not in {d.code for d in after} and "PF009" not in {d.code for d in after}


async def test_hover_shows_the_rule_summary_and_link(tmp_path):
    path = tmp_path / "goal.yaml"
    path.write_text(ASTRAL_YAML, encoding="utf-8")
    async with server({"lang": "en"}) as client:
        diagnostics = await open_document(client, path, ASTRAL_YAML)
        pf203 = next(d for d in diagnostics if d.code == "PF203")
        hover = await client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri_of(path)), pf203.range.start)
        )
        nothing = await client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri_of(path)), types.Position(0, 0))
        )
    assert nothing is None
    assert "**PF203** `missing-comparator`" in hover.contents.value
    assert pf203.code_description.href in hover.contents.value
    assert pf203.message.startswith("value") or "comparator" in pf203.message  # --lang en
    assert hover.range == pf203.range


async def test_completion_of_codes_and_categories(tmp_path):
    text = ASTRAL_YAML.replace("指标值: 95%", "指标值: 95%  # perflint: disable=PF2")
    text = text.replace("      - 一级指标: 产出指标", "      - 一级指标: 产")
    path = tmp_path / "goal.yaml"
    path.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    async with server() as client:
        await open_document(client, path, text)

        async def complete(line: int):
            at = types.Position(
                line, len(lines[line])
            )  # line ends are ASCII or BMP: UTF-16 = code points here
            return await client.text_document_completion_async(
                types.CompletionParams(types.TextDocumentIdentifier(uri_of(path)), at)
            )

        codes = await complete(8)
        categories = await complete(4)
        none = await complete(0)
    labels = [i.label for i in codes.items]
    assert "PF203" in labels and all(label.startswith("PF2") for label in labels)
    assert [i.label for i in categories.items] and all("产" in i.label for i in categories.items)
    assert "产出指标" in [i.label for i in categories.items]
    assert none is None


async def test_a_configuration_change_is_picked_up_without_a_restart(tmp_path):
    path = tmp_path / "goal.yaml"
    path.write_text(ASTRAL_YAML, encoding="utf-8")
    async with server(cwd=tmp_path) as client:
        diagnostics = await open_document(client, path, ASTRAL_YAML)
        assert "PF203" in {d.code for d in diagnostics}
        config = tmp_path / ".perflint.yaml"
        config.write_text("ignore: [PF203]\n", encoding="utf-8")
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
            [types.FileEvent(uri_of(config), types.FileChangeType.Created)]
        ))  # fmt: skip
        diagnostics = await published_for(client, uri_of(path), 2)
        assert "PF203" not in {d.code for d in diagnostics}
        # no notification at all: the next edit re-discovers the configuration
        config.write_text("ignore: [PF403]\n", encoding="utf-8")
        diagnostics = await change_document(client, path, 2, [whole(ASTRAL_YAML)])
        codes = {d.code for d in diagnostics}
        assert "PF203" in codes and "PF403" not in codes
        assert any(r.method == "workspace/didChangeWatchedFiles" for r in client.registrations)


async def test_a_broken_configuration_is_a_located_diagnostic(tmp_path):
    (tmp_path / ".perflint.yaml").write_text(
        "select: [PF203]\nfail-level: nonsense\n", encoding="utf-8"
    )
    path = tmp_path / "goal.yaml"
    path.write_text(ASTRAL_YAML, encoding="utf-8")
    async with server(cwd=tmp_path) as client:
        diagnostics = await open_document(client, path, ASTRAL_YAML)
    assert len(diagnostics) == 1
    assert "配置错误" in diagnostics[0].message
    related = diagnostics[0].related_information[0].location
    assert related.uri == uri_of(tmp_path / ".perflint.yaml") and related.range.start.line == 1


async def test_documents_that_are_not_goal_files_get_nothing(tmp_path):
    compose = tmp_path / "docker-compose.yml"
    compose.write_text("services:\n  web:\n    image: nginx\n", encoding="utf-8")
    async with server() as client:
        assert await open_document(client, compose, compose.read_text()) == ()
        assert await open_document(client, tmp_path / ".perflint.yaml", "ignore: [PF203]\n") == ()


async def test_only_files_and_typed_unsaved_buffers_are_linted():
    """VS Code sends its chat input and other panes as `plaintext` documents under schemes of
    their own: they get nothing, nor does a new empty buffer; an unsaved buffer with a filing
    in it is linted."""

    async def opened(client, uri: str, language: str, text: str) -> list:
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, language, 1, text))
        )
        return await published_for(client, uri)

    async with server() as client:
        assert await opened(client, "chatSessionInput:input-0", "plaintext", "") == ()
        assert await opened(client, "output:extension-output-1", "yaml", ASTRAL_YAML) == ()
        assert await opened(client, "untitled:Untitled-1", "plaintext", "") == ()
        unsaved = await opened(client, "untitled:Untitled-2", "yaml", ASTRAL_YAML)
        assert "PF203" in {d.code for d in unsaved}


async def test_a_file_deleted_while_open_and_a_binary_document(tmp_path):
    path = tmp_path / "goal.yaml"
    path.write_text(ASTRAL_YAML, encoding="utf-8")
    docx = tmp_path / "filing.docx"
    docx.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    async with server() as client:
        await open_document(client, path, ASTRAL_YAML)
        path.unlink()
        diagnostics = await change_document(client, path, 2, [whole(ASTRAL_YAML)])
        assert "PF203" in {d.code for d in diagnostics}  # the editor's text is still linted
        binary = await open_document(client, docx, "")
        assert binary and all(d.source == "perflint" for d in binary)
        docx.unlink()
        client.text_document_did_save(
            types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri_of(docx)))
        )
        gone = await published_for(client, uri_of(docx), 2)
        assert [d.code for d in gone] == ["PF001"]
        # the server still answers
        hover = await client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri_of(path)), types.Position(0, 0))
        )
        assert hover is None


async def test_requests_for_unknown_documents_and_bad_positions_answer_nothing(tmp_path):
    async with server() as client:
        unknown = types.TextDocumentIdentifier("file:///nowhere/x.yaml")
        far = types.Position(10_000, 10_000)
        assert await client.text_document_hover_async(types.HoverParams(unknown, far)) is None
        context = types.CodeActionContext(diagnostics=[])
        assert await client.text_document_code_action_async(
            types.CodeActionParams(unknown, types.Range(far, far), context)
        ) in ([], ())
        path = tmp_path / "goal.yaml"
        await open_document(client, path, ASTRAL_YAML)
        doc = types.TextDocumentIdentifier(uri_of(path))
        assert await client.text_document_hover_async(types.HoverParams(doc, far)) is None
        result = await client.text_document_completion_async(types.CompletionParams(doc, far))
        assert result is None


async def test_text_exports_get_fixes_but_no_disable_comment(tmp_path):
    """A text export has no comments: its findings get their fixes and fix-all, never a
    suppression edit (per-file-ignores in the configuration silence a code there)."""
    seed = next(p for p in SEEDS if p.suffix == ".txt")
    path = tmp_path / seed.name
    shutil.copy(seed, path)
    text = path.read_text(encoding="utf-8")
    async with server() as client:
        diagnostics = await open_document(client, path, text, "plaintext")
        fixable = [d for d in diagnostics if d.data and d.data.get("fixable")]
        assert fixable
        actions = await actions_at(client, path, fixable[0])
    assert any(a.title.startswith("修复 ") for a in actions)
    assert any(a.kind == "source.fixAll.perflint" for a in actions)
    assert not any("禁用" in a.title for a in actions)


@pytest.mark.parametrize("suffix", ["docx", "xlsx"])
async def test_word_and_excel_files_get_findings_but_no_code_actions(suffix, tmp_path):
    """A Word or Excel filing is linted from the file (the CLI's findings); the editor holds no
    text of it to edit, so no fix, fix-all or suppression is offered (`perflint check --fix`
    fixes the file)."""
    from tests.office_files import export_blocks, write_docx, write_xlsx

    seed = next(p for p in SEEDS if p.suffix == ".txt")
    blocks = export_blocks(seed.read_text(encoding="utf-8"))
    write = write_docx if suffix == "docx" else write_xlsx
    path = write(blocks, tmp_path / f"filing.{suffix}")
    cli = run("check", "--format", "json", "--no-cache", str(path))
    expected = sorted(d["code"] for d in json.loads(cli.out))
    async with server() as client:
        diagnostics = await open_document(client, path, "", "binary")
        assert sorted(d.code for d in diagnostics) == expected
        assert any(d.data and d.data.get("fixable") for d in diagnostics)
        for diagnostic in diagnostics:
            assert await actions_at(client, path, diagnostic) in ([], (), None)


async def test_the_configured_language_is_used_when_the_client_names_none(tmp_path):
    (tmp_path / ".perflint.yaml").write_text("lang: en\n", encoding="utf-8")
    path = tmp_path / "goal.yaml"
    path.write_text(ASTRAL_YAML, encoding="utf-8")
    async with server(cwd=tmp_path) as client:
        diagnostics = await open_document(client, path, ASTRAL_YAML)
        pf203 = next(d for d in diagnostics if d.code == "PF203")
        actions = await actions_at(client, path, pf203)
    expected = [f[3] for f in cli_findings(path, "--lang", "en", cwd=tmp_path) if f[0] == "PF203"]
    assert pf203.message == expected[0]
    assert any(a.title.startswith("Fix PF203 (unsafe)") for a in actions)
    assert any(a.title == "Disable PF203 for this line" for a in actions)
