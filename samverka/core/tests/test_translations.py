# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every UI string exists, translated and not fuzzy, in sv, nb, da and en."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def catalog(root: Path, language: str) -> polib.POFile:
    return polib.pofile(str(root / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_has_no_untranslated_or_fuzzy_entries(language):
    po = catalog(ROOT, language)
    missing = [entry.msgid for entry in po if not entry.translated() or entry.fuzzy]
    assert not missing, f"{language}: {len(missing)} untranslated or fuzzy, e.g. {missing[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_keeps_placeholders(language):
    for entry in catalog(ROOT, language):
        # A plural entry keeps its texts in msgstr_plural, one per form.
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for placeholder in polib.re.findall(r"%\(\w+\)[sd]", entry.msgid):
            for text in texts:
                assert placeholder in text, f"{language}: {entry.msgid!r} lost {placeholder}"


def test_catalogs_contain_every_string_in_the_code(tmp_path):
    """Re-extract the strings from a copy of the code: none may be missing
    from the committed catalogs (run `manage.py makemessages` if this fails)."""
    for name in ("samverka", "templates", "locale"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "sv", "--no-obsolete", "-v", "0"],
        cwd=tmp_path,
        check=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)},
    )
    extracted = {e.msgid for e in catalog(tmp_path, "sv") if not e.obsolete}
    committed = {e.msgid for e in catalog(ROOT, "sv") if not e.obsolete}
    assert extracted <= committed, f"not in the catalogs: {sorted(extracted - committed)[:10]}"
