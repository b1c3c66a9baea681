"""`perflint clean`: remove the perflint caches in and below the working directory."""

from __future__ import annotations

import os
import shutil
import sys

from perflint import clean
from perflint.cli.output import say, write
from perflint.config import ConfigError, Finder, load_config


def run_clean(args) -> int:
    """Remove the caches here and below (and --cache-dir, the configured cache-dir,
    $PERFLINT_CACHE_DIR); never a directory perflint did not make."""
    en = args.lang == "en"
    named = [args.cache_dir] if args.cache_dir else []
    if os.environ.get("PERFLINT_CACHE_DIR"):
        named.append(os.environ["PERFLINT_CACHE_DIR"])
    top = Finder().config_path(os.getcwd())
    if top is not None:
        try:
            config = load_config(top)
        except ConfigError as error:
            say(args.lang, error.render("zh"), error.render("en"))
            return 2
        root = os.path.dirname(top)
        named.append(os.path.join(root, config.get("cache-dir") or ".perflint_cache"))
    found, foreign = clean.caches_under(os.getcwd(), tuple(named))
    failed = False
    for directory in found:
        shown = os.path.relpath(directory)
        try:
            shutil.rmtree(directory)
        except OSError as error:
            failed = True
            reason = error.strerror or str(error)
            say(args.lang, f"无法删除 {shown}：{reason}", f"cannot remove {shown}: {reason}")
            continue
        write(sys.stdout, f"removed {shown}\n" if en else f"已删除 {shown}\n")
    for directory in foreign:
        shown = os.path.relpath(directory)
        say(
            args.lang,
            f"{shown} 不是 perflint 的缓存目录（没有 perflint 的 CACHEDIR.TAG），未删除",
            f"{shown} is not a perflint cache (no CACHEDIR.TAG of perflint's); left alone",
            "warning",
        )
    if not found and not foreign:
        write(sys.stdout, "no cache to remove\n" if en else "没有可删除的缓存\n")
    return 2 if failed else 0
