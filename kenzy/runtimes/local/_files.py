"""A site's files: hard-linked WordPress core, its own wp-content, wp-config above the docroot."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import anyio.to_thread

from kenzy import wordpress
from kenzy.runtimes.local import _proc
from kenzy.runtimes.local._layout import Layout, SitePaths
from kenzy.runtimes.local._templates import write_file

__all__ = ["DIR_MODE", "ensure_core", "install_site_files", "install_themes", "own_tree", "remove_site_files"]

DIR_MODE = 0o2750
"""Site directories: owner rwx, web group r-x, setgid so new files keep the web group."""
_SKIP_IN_CORE = {"wp-config.php", "wp-content", ".htaccess", "wp-config-sample.php"}


async def ensure_core(wordpress_path: Path, layout: Layout) -> Path:
    """The master copy of core for this WordPress version (symlinks dereferenced), made once.

    Sites hard-link it: ~4 MB and a few hundredths of a second per site. Core files stay
    owned by root (or the stack user) and read-only to sites.
    """
    master = layout.core / wordpress.core_version(wordpress_path)
    if (master / "wp-settings.php").is_file():
        return master
    async with _proc.file_lock(layout.locks / "core.lock"):
        if (master / "wp-settings.php").is_file():
            return master

        def build() -> None:
            tmp = master.with_name(master.name + ".partial")
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            for entry in wordpress_path.iterdir():
                if entry.name in _SKIP_IN_CORE:
                    continue
                target = tmp / entry.name
                if entry.is_dir():
                    shutil.copytree(entry, target, symlinks=False)
                else:
                    shutil.copy2(entry.resolve(), target)
            for root, dirs, files in os.walk(tmp):
                for d in dirs:
                    os.chmod(os.path.join(root, d), 0o755)
                for f in files:
                    os.chmod(os.path.join(root, f), 0o644)
            os.chmod(tmp, 0o755)
            os.replace(tmp, master)

        await anyio.to_thread.run_sync(build)
    return master


async def install_site_files(
    core: Path, site: SitePaths, *, owner: str | None, web_group: str | None,
    locale: str, wordpress_path: Path, wp_config: str,
) -> None:
    """Lay out the site's tree (idempotent: an existing docroot is rebuilt from scratch)."""
    if site.docroot.exists():
        await anyio.to_thread.run_sync(shutil.rmtree, site.docroot)
    site.root.mkdir(parents=True, exist_ok=True)
    await _proc.run(["cp", "-al", f"{core}/.", str(site.docroot)], what="cp -al")

    def own_content() -> None:
        content = site.wp_content
        for sub in ("plugins", "mu-plugins", "themes", "uploads", "languages", "upgrade"):
            (content / sub).mkdir(parents=True, exist_ok=True)
        (content / "index.php").write_text("<?php\n// Silence is golden.\n")
        install_themes(site, None, None)
        for plugin in wordpress.MU_PLUGINS.iterdir():
            shutil.copy2(plugin, content / "mu-plugins" / plugin.name)
        for dropin in wordpress.DROPINS.iterdir():
            shutil.copy2(dropin, content / dropin.name)
        languages = wordpress_path / "wp-content" / "languages"
        if locale != "en_US" and languages.is_dir():
            for mo in languages.glob(f"*{locale}.mo"):
                shutil.copy2(mo, content / "languages" / mo.name)
        for path in (site.tmp, site.sessions, site.logs):
            path.mkdir(exist_ok=True)
            os.chmod(path, 0o700)
        # Ownership: the site user owns its tree; the web group (nginx) may read it. The
        # setgid bit makes files PHP creates later (uploads, resized images) inherit that group.
        own_tree(content, owner, web_group)
        for path in (site.root, site.docroot):
            if owner is not None:
                shutil.chown(path, owner, web_group)
            os.chmod(path, DIR_MODE)
        if owner is not None:
            for path in (site.tmp, site.sessions, site.logs):
                shutil.chown(path, owner, owner)

    await anyio.to_thread.run_sync(own_content)
    write_file(site.wp_config, wp_config, mode=0o600, owner=owner)


def own_tree(top: Path, owner: str | None, web_group: str | None, *, file_mode: int | None = 0o640) -> None:
    """Give ``top`` and everything below it to the site (when root): directories ``DIR_MODE``,
    files ``file_mode`` (None keeps their modes). Blocking; call from a worker thread."""
    for root, dirs, files in os.walk(top):
        if owner is not None:
            for name in [*dirs, *files]:
                shutil.chown(os.path.join(root, name), owner, web_group)
        for name in dirs:
            os.chmod(os.path.join(root, name), DIR_MODE)
        if file_mode is not None:
            for name in files:
                os.chmod(os.path.join(root, name), file_mode)
    if owner is not None:
        shutil.chown(top, owner, web_group)
    os.chmod(top, DIR_MODE)


def install_themes(site: SitePaths, owner: str | None, web_group: str | None) -> None:
    """Copy kenzy's themes into the site (blocking; call from a worker thread)."""
    for theme in wordpress.THEMES.iterdir():
        target = site.wp_content / "themes" / theme.name
        shutil.copytree(theme, target, dirs_exist_ok=True)
        own_tree(target, owner, web_group)


async def remove_site_files(site: SitePaths) -> None:
    """Remove the whole site tree; nothing to do when it is gone."""
    await anyio.to_thread.run_sync(lambda: shutil.rmtree(site.root, ignore_errors=True))
