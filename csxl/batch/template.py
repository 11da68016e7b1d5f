"""The plan built once per run and specialised per team by patching only what differs."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, unescape

from csxl.errors import t

if TYPE_CHECKING:
    from csxl.domain.people import Member
    from csxl.domain.scoring import Target
    from csxl.workbook.book import Override, PlanInputs

PLACEHOLDER = "CSXLTEAMPLACEHOLDER7F3A"  # the team name the template is built with
_FORMULA = re.compile(rb'<c r="(?P<ref>[A-Z]+[0-9]+)"[^>]*>\s*<f>(?P<text>[^<]*)</f>')


def _formulas(sheet_xml: bytes) -> dict[str, str]:
    """Address -> formula text (with '=') of every plain formula cell of a sheet part."""
    return {
        m["ref"].decode(): "=" + unescape(m["text"].decode("utf-8"))
        for m in _FORMULA.finditer(sheet_xml)
    }


class Template:
    """A plan built once, specialised per team by patching only the parts that differ."""

    def __init__(self, lang: str, year: int, today: date) -> None:
        from csxl.workbook.book import PlanInputs
        from csxl.workbook.builder import build
        from csxl.workbook.package import sheet_parts

        self.lang, self.year, self.today = lang, year, today
        self.data = build(PlanInputs(lang=lang, team=PLACEHOLDER, year=year, today=today))
        with zipfile.ZipFile(io.BytesIO(self.data)) as zf:
            self.files = {n: zf.read(n) for n in zf.namelist()}
        self.parts = sheet_parts(self.files)
        marker = PLACEHOLDER.encode()
        self.named = [n for n, data in self.files.items() if marker in data]
        self.formulas: dict[str, dict[str, str]] = {}  # part -> the template's formula texts

    def specialise(
        self,
        team: str,
        targets: Sequence[Target] | None = None,
        cascade: Iterable[Override] = (),
        active_customers: float | None = None,
        members: Sequence[Member] = (),
        aliases: Sequence[tuple[str, str, str]] = (),
    ) -> bytes:
        """The package of `build(PlanInputs(lang, team, year, today, active_customers,
        targets, cascade, team_inputs=TeamInputs(members), aliases))`."""
        from csxl.domain.people import TeamInputs
        from csxl.workbook.book import PlanInputs

        p = PlanInputs(lang=self.lang, team=team, year=self.year, today=self.today)
        if targets:
            p.targets = tuple(targets)
        p.cascade = list(cascade)
        p.active_customers = active_customers
        p.team_inputs = TeamInputs(tuple(members))
        p.aliases = tuple(aliases)
        return self.plan(p)

    def plan(self, p: PlanInputs) -> bytes:
        """The package of `build(p)`, for inputs a roster gives (`sheets.roster_inputs`):
        the sheets whose title holds the team name, and the cells each room says differ
        from the template's (`sheets.team_cells`)."""
        from csxl.workbook import sheetxml, zipsplice
        from csxl.workbook.sheets import team_cells

        team = p.team
        if not team or team != " ".join(team.split()):
            raise ValueError(
                t(
                    "团队名称须是一行文字，首尾没有空格",
                    "a team name is one line of text without leading/trailing spaces",
                )
            )
        name = escape(team).encode("utf-8")
        parts = {n: self.files[n].replace(PLACEHOLDER.encode(), name) for n in self.named}
        for key, patch in team_cells(p, self._formulas_of).items():
            part = self._part(key)
            parts[part] = sheetxml.patch(parts.get(part, self.files[part]), patch)
        parts["xl/workbook.xml"] = self._print_areas(parts)
        out = io.BytesIO()
        zipsplice.splice(io.BytesIO(self.data), out, parts)
        return out.getvalue()

    def _part(self, key: str) -> str:
        from csxl.workbook import layout

        return self.parts[layout.title(key, self.lang)]

    def _formulas_of(self, key: str) -> dict[str, str]:
        name = self._part(key)
        if name not in self.formulas:  # once a run
            self.formulas[name] = _formulas(self.files[name])
        return self.formulas[name]

    def _print_areas(self, parts: dict[str, bytes]) -> bytes:
        """The template's workbook.xml with the print areas of the patched sheets."""
        from csxl.readers.limits import sheet_parts
        from csxl.workbook import layout, printing

        def read(name: str) -> bytes | None:
            return parts.get(name, self.files.get(name))

        workbook = parts.get("xl/workbook.xml", self.files["xl/workbook.xml"])
        sheets = sheet_parts({**self.files, "xl/workbook.xml": workbook})
        paste = frozenset(layout.title(key, self.lang) for key in layout.PASTE_AREAS)
        areas = printing.print_areas(sheets, read, read, paste, only=set(parts))
        return printing.with_print_areas(workbook, areas)
