"""Saving plans: cached values on every formula, determinism, atomic writes, templates."""

import re
import zipfile
from datetime import date, datetime

import pytest

from csxl.errors import InputError, language
from csxl.workbook import package, templates
from csxl.workbook.book import PlanInputs
from csxl.workbook.builder import build, new_plan
from csxl.workbook.compare import differences


def test_cell_values_by_type():
    assert package.cell_value(True) == (b' t="b"', b"1")
    assert package.cell_value(80.0) == (b"", b"80.0")
    assert package.cell_value(3) == (b"", b"3")
    assert package.cell_value(date(2026, 10, 1)) == (b"", b"46296")
    assert package.cell_value(datetime(2026, 10, 1, 12)) == (b"", b"46296.5")
    assert package.cell_value("冲刺 & <b>") == (b' t="str"', "冲刺 &amp; &lt;b&gt;".encode())
    assert package.cell_value("") == (b' t="str"', b"")
    assert package.cell_value("#N/A") == (b' t="e"', b"#N/A")
    assert package.cell_value(float("nan")) == (b' t="e"', b"#NUM!")


def test_inject_fills_the_value_and_refuses_gaps():
    xml = b'<row r="1"><c r="A1" s="2"><f>1+1</f><v /></c><c r="B1"><f>"a"</f><v /></c></row>'
    out = package.inject(xml, {"A1": 2, "B1": "a"}, "S")
    assert out == (
        b'<row r="1"><c r="A1" s="2"><f>1+1</f><v>2</v></c>'
        b'<c r="B1" t="str"><f>"a"</f><v>a</v></c></row>'
    )
    with pytest.raises(KeyError, match="without a cached value"):
        package.inject(xml, {"A1": 2}, "S")
    with pytest.raises(KeyError, match="without a formula"):
        package.inject(xml, {"A1": 2, "B1": "a", "C1": 3}, "S")


@pytest.fixture(scope="module")
def plan_bytes():
    return build(
        PlanInputs(
            lang="zh", year=2026, today=date(2026, 5, 15), actuals={"csat": 0.92, "frt_mean": 45.0}
        )
    )


def test_every_formula_cell_carries_a_value(plan_bytes):
    import io

    with zipfile.ZipFile(io.BytesIO(plan_bytes)) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
        formulas = 0
        for name in sheets:
            xml = zf.read(name)
            formulas += len(re.findall(rb"</f>", xml))
            assert not re.search(rb"</f><v ?/>", xml), name
    assert formulas > 50


def test_cached_values_are_what_fast_readers_see(tmp_path, plan_bytes):
    from python_calamine import CalamineWorkbook

    path = tmp_path / "p.xlsx"
    path.write_bytes(plan_bytes)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("目标").to_python()
    csat = next(r for r in rows if r[0] == "csat")
    # actual 0.92 against 85/90/95%: stretch met, challenge not -> 冲刺, green, 80 points
    assert csat[8:14] == [0.92, "冲刺", pytest.approx(0.02), pytest.approx(0.02 / 0.9), "绿", 80.0]


def test_same_inputs_same_workbook(plan_bytes):
    again = build(
        PlanInputs(
            lang="zh", year=2026, today=date(2026, 5, 15), actuals={"csat": 0.92, "frt_mean": 45.0}
        )
    )
    assert differences(plan_bytes, again) == []


def test_different_inputs_show_as_differences(plan_bytes):
    other = build(
        PlanInputs(
            lang="zh", year=2026, today=date(2026, 5, 15), actuals={"csat": 0.80, "frt_mean": 45.0}
        )
    )
    assert any("worksheets" in d for d in differences(plan_bytes, other))


@pytest.mark.parametrize("name", ["plan_zh.xlsx", "plan_en.xlsx"])
def test_committed_templates_are_current(name):
    committed = templates.FOLDER / name
    assert committed.exists(), "run: python -m csxl.workbook.templates"
    fresh = templates.templates()[name]
    assert differences(committed, fresh) == [], "stale: run python -m csxl.workbook.templates"


def test_atomic_write_keeps_the_original_when_saving_fails(tmp_path, monkeypatch):
    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"the manager's work")

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(package.os, "replace", crash)
    with pytest.raises(OSError):
        package.write_atomic(target, b"new")
    assert target.read_bytes() == b"the manager's work"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.xlsx"]


def test_atomic_write_keeps_the_file_mode(tmp_path):
    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o640)
    package.write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and target.stat().st_mode & 0o777 == 0o640


def test_new_plan_refuses_to_overwrite_and_needs_xlsx(tmp_path):
    path = new_plan(tmp_path / "a.xlsx", PlanInputs(year=2026))
    before = path.read_bytes()
    with pytest.raises(InputError, match="从不覆盖"):
        new_plan(path, PlanInputs(year=2026))
    with language("en"), pytest.raises(InputError, match="never overwrites"):
        new_plan(path, PlanInputs(year=2026))
    assert path.read_bytes() == before
    with pytest.raises(InputError, match=r"\.xlsx"):
        new_plan(tmp_path / "a.xlsm", PlanInputs(year=2026))
