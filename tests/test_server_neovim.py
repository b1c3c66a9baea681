"""The Neovim configuration in docs/integrations.md, tried in a real Neovim (0.11 or later, on
PATH; skipped without one): headless, the documented `vim.lsp.config` snippet as init.lua, an
example filing opened; the diagnostics must be the ones `perflint check` prints, at the same
places, and the `source.fixAll.perflint` action must write what `perflint check --fix` writes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.helpers import EXAMPLES, REPO, run

DOCS = REPO / "docs" / "integrations.md"

# Opens the file, waits for perflint's diagnostics, lists them, applies the fix-all action and
# writes the buffer to $FIXED; prints {"encoding", "diagnostics"} as JSON.
DRIVER = """\
local client
vim.wait(30000, function()
  client = vim.lsp.get_clients({ bufnr = 0, name = "perflint" })[1]
  return client ~= nil and #vim.diagnostic.get(0) > 0
end, 20)
local found = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(found, { d.code, d.lnum, d.col, d.end_lnum, d.end_col, d.message })
end
vim.lsp.buf.code_action({ context = { only = { "source.fixAll.perflint" } }, apply = true })
vim.wait(10000, function() return vim.bo.modified end, 20)
vim.cmd("silent write! " .. vim.fn.fnameescape(os.getenv("FIXED")))
io.stdout:write(vim.json.encode({ encoding = client and client.offset_encoding, diagnostics = found }))
vim.cmd("qa!")
"""


def neovim() -> str | None:
    """An `nvim` of version 0.11 or later (the first with vim.lsp.config), or None."""
    path = shutil.which(
        "nvim", path=os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
    )
    if path is None:
        return None
    version = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=60)
    match = re.search(r"NVIM v(\d+)\.(\d+)", version.stdout)
    return path if match and (int(match[1]), int(match[2])) >= (0, 11) else None


def documented_config() -> str:
    """The Lua block under the documentation's "Neovim (0.11 and later)" heading."""
    section = DOCS.read_text(encoding="utf-8").split("### Neovim (0.11 and later)", 1)[1]
    return re.search(r"```lua\n(.*?)```", section, re.S)[1]


@pytest.mark.skipif(neovim() is None, reason="no Neovim 0.11 or later on PATH")
def test_the_documented_neovim_config_shows_the_cli_findings_and_fixes(tmp_path):
    seed = EXAMPLES / "huailai-xinfang-2024.yaml"
    path = tmp_path / seed.name
    shutil.copy(seed, path)
    (tmp_path / "init.lua").write_text(documented_config(), encoding="utf-8")
    (tmp_path / "drive.lua").write_text(DRIVER, encoding="utf-8")
    env = dict(os.environ, FIXED=str(tmp_path / "fixed.yaml"), XDG_STATE_HOME=str(tmp_path))
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    editor = subprocess.run(
        [neovim(), "--headless", "-u", "init.lua", "-i", "NONE", "-c", "luafile drive.lua", path.name],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    shown = json.loads(editor.stdout)

    lines = path.read_text(encoding="utf-8").split("\n")

    def byte(row: int, column: int) -> int:  # perflint: 1-based code points; Neovim: 0-based bytes
        return len(lines[row - 1][: column - 1].encode("utf-8"))

    cli = json.loads(run("check", "--format", "json", "--no-cache", str(path)).out)
    expected = sorted(
        [d["code"], d["location"]["row"] - 1, byte(d["location"]["row"], d["location"]["column"]),
         d["end_location"]["row"] - 1, byte(d["end_location"]["row"], d["end_location"]["column"]),
         d["message"]]
        for d in cli
    )  # fmt: skip
    assert shown["encoding"] == "utf-8"  # Neovim offers utf-8 first; the server takes it
    assert sorted(shown["diagnostics"]) == expected
    fixed = run(
        "check", "--fix", "--no-cache", "--stdin-filename", str(path), "-", input=seed.read_bytes()
    )
    assert (tmp_path / "fixed.yaml").read_bytes() == fixed.stdout
