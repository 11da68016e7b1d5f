"""The formula lint: what Excel 2016+ and LibreOffice both compute (formulas.md)."""

from __future__ import annotations

import pytest
from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.utils import FORMULAE
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.table import Table, TableColumn, TableFormula

from csxl.workbook.formula_lint import ALLOWED, lint, lint_workbook

FINE = [
    "=SUM(A1:A10)",
    '=SUMPRODUCT((数据!$C$2:$C$100="电话")*(数据!$D$2:$D$100))',
    '=IFERROR(INDEX(目标!$C$2:$C$20,MATCH($A2,目标!$A$2:$A$20,0)),"")',
    "=VLOOKUP(B2,$H$2:$I$6,2,TRUE)",
    "=_xlfn.IFNA(MATCH(A1,B:B,0),0)",
    "=_xlfn.STDEV.S(A1:A9)+_xlfn.PERCENTILE.INC(A1:A9,0.9)+_xlfn.QUARTILE.INC(A1:A9,1)",
    "=_xlfn.RANK.EQ(A2,$A$2:$A$9)+RANK(A2,$A$2:$A$9)+PERCENTILE(A1:A9,0.5)",
    '=_xlfn.ISOWEEKNUM(A1)+_xlfn.DAYS(B1,A1)+DATEDIF(A1,B1,"d")',
    "=NETWORKDAYS.INTL(A1,B1,1,Holidays)+WORKDAY.INTL(A1,5,1)",
    "=EDATE(设置!$B$2,-1)+EOMONTH(A1,0)+NETWORKDAYS(A1,B1)+WORKDAY(A1,3)",
    '=TEXT(A1,"0.0%")&TEXT(B1,"#,##0.00")&TEXT(C1,"yyyy-mm-dd")',
    '=TEXT(A1,"yyyy年m月d日")&TEXT(A1,"yyyy""年""m""月""")',
    "=CONCATENATE(LEFT(A1,2),MID(A1,3,1),RIGHT(A1,1),LEN(A1))",
    '=IF(AND(ISNUMBER(A1),NOT(ISBLANK(B1))),ROUND(A1/B1,2),"")',
    '=SUM(收入[金额])+SUMIFS(预算[计划],预算[类别],"人力成本")',
    "=预算[[#This Row],[实际(元)]]-预算[@计划]",
    "='目标 2026'!B3*2+'It''s (x)'!A1",
    '=IF($A2="XLOOKUP(","FILTER(","TODAY()")',
    '=IF(COUNTIFS(数据[渠道],"电话",数据[团队],$B$1)>0,1,0)',
    "SUM(A1:A3)",  # without "=", as data validation and defined names store them
]


@pytest.mark.parametrize("formula", FINE)
def test_allowed_formulas_pass(formula: str) -> None:
    assert lint(formula) == []


@pytest.mark.parametrize(
    "formula, function",
    [
        ("=_xlfn.XLOOKUP(A1,B:B,C:C)", "XLOOKUP"),
        ("=XLOOKUP(A1,B:B,C:C)", "XLOOKUP"),
        ("=_xlfn.XMATCH(A1,B:B)", "XMATCH"),
        ("=_xlfn.LET(x,1,x+1)", "LET"),
        ("=_xlfn._xlws.FILTER(A1:A9,B1:B9>0)", "FILTER"),
        ("=COUNTA(_xlfn.UNIQUE(A1:A9))", "UNIQUE"),
        ("=_xlfn.IFS(A1>1,1,TRUE,0)", "IFS"),
        ('=_xlfn.SWITCH(A1,1,"a","b")', "SWITCH"),
        ('=_xlfn.MAXIFS(A:A,B:B,"x")', "MAXIFS"),
        ("=_xlfn.CONCAT(A1,B1)", "CONCAT"),
        ('=_xlfn.TEXTJOIN(",",TRUE,A1:A3)', "TEXTJOIN"),
        ("=STDEV(A1:A9)", "STDEV"),
        ("=SUM(A1:A3)+_xludf.MYFUNC(A1)", "MYFUNC"),
    ],
)
def test_forbidden_functions_are_caught(formula: str, function: str) -> None:
    problems = lint(formula)
    assert len(problems) == 1
    assert problems[0].startswith(f"{function}() is not allowed")


@pytest.mark.parametrize(
    "formula, function",
    [
        ("=TODAY()", "TODAY"),
        ("=NOW()-A1", "NOW"),
        ("=RAND()", "RAND"),
        ("=SUM(OFFSET(A1,0,0,3,1))", "OFFSET"),
        ('=INDIRECT("目标!A1")', "INDIRECT"),
    ],
)
def test_volatile_functions_are_caught(formula: str, function: str) -> None:
    assert lint(formula) == [
        f"{function}() is volatile: refer to the as-of date cell instead (only it may be =TODAY())"
    ]


def test_today_only_in_the_as_of_cell() -> None:
    assert lint("=TODAY()", allow_volatile=True) == []
    assert lint("=IF(ISBLANK(B7),TODAY(),B7)", allow_volatile=True) == []
    assert lint("=IF(ISBLANK(B7),TODAY(),B7)") != []
    assert lint("=today()", allow_volatile=True) != []  # names are written in upper case
    assert lint("=NOW()", allow_volatile=True) != []
    assert lint("=IF(A1,TODAY(),OFFSET(A1,1,1))", allow_volatile=True) != []


@pytest.mark.parametrize(
    "formula, problem",
    [
        ("=IFNA(A1,0)", "missing _xlfn. prefix: write _xlfn.IFNA"),
        ("=STDEV.S(A1:A9)", "missing _xlfn. prefix: write _xlfn.STDEV.S"),
        ("=PERCENTILE.INC(A1:A9,0.5)", "missing _xlfn. prefix: write _xlfn.PERCENTILE.INC"),
        ("=RANK.EQ(A1,A1:A9)", "missing _xlfn. prefix: write _xlfn.RANK.EQ"),
        ("=ISOWEEKNUM(A1)", "missing _xlfn. prefix: write _xlfn.ISOWEEKNUM"),
        ("=DAYS(B1,A1)", "missing _xlfn. prefix: write _xlfn.DAYS"),
        ("=_xlfn.NETWORKDAYS.INTL(A1,B1,1)", "superfluous _xlfn. prefix: write NETWORKDAYS.INTL"),
        ("=_xlfn.WORKDAY.INTL(A1,5,1)", "superfluous _xlfn. prefix: write WORKDAY.INTL"),
        ("=_xlfn.SUM(A1:A3)", "superfluous _xlfn. prefix: write SUM"),
        ('=_xlfn.DATEDIF(A1,B1,"d")', "superfluous _xlfn. prefix: write DATEDIF"),
    ],
)
def test_prefix_rule_both_ways(formula: str, problem: str) -> None:
    assert lint(formula) == [problem]


def test_allowed_list_follows_the_prefix_rule() -> None:
    for written in ALLOWED:
        bare = written.removeprefix("_xlfn.")
        assert (bare in FORMULAE) == (written == bare), written
    assert {"_xlfn.IFNA", "_xlfn.STDEV.S", "_xlfn.DAYS", "NETWORKDAYS.INTL", "SUM"} <= ALLOWED
    assert not {"IFNA", "XLOOKUP", "_xlfn.XLOOKUP", "TODAY", "_xlfn.NETWORKDAYS.INTL"} & ALLOWED


@pytest.mark.parametrize(
    "code", ["mmm", "yyyy-mmmm", "ddd", "dddd", "aaaa", "[$-804]yyyy年m月", "[DBNum1]0"]
)
def test_text_with_names_or_locale_is_caught(code: str) -> None:
    problems = lint(f'=TEXT(A1,"{code}")')
    assert len(problems) == 1
    assert problems[0].startswith("TEXT() format")


def test_text_format_literals_are_not_codes() -> None:
    assert lint('=TEXT(A1,"0\\d\\d\\d")') == []  # escaped characters print as they are
    assert lint('=TEXT(A1,"0""mmm""")') == []  # "quoted" text prints as it is
    assert lint('=A1&"mmm"&TEXT(B1,"0")') == []  # not TEXT's format argument


def test_strings_sheet_names_and_tables_hide_no_function() -> None:
    assert lint('="XLOOKUP(A1)"&"LET("""') == []
    assert lint("='XLOOKUP(1)'!A1+'FILTER('!B2") == []
    assert lint("=SUM(T[[#This Row],[TODAY(x)]])+SUM(T[OFFSET(1)])") == []
    assert lint("='目标'!A1+SUM('目标'!B:B)") == []


def test_if_over_a_range_needs_an_array_formula() -> None:
    assert lint('=SUM(IF(A1:A9="x",1,0))') != []
    assert lint('=IF((数据[渠道]="电话")*(B1:B9>0),1,0)') != []
    assert lint('=SUM(IF(A1:A9="x",1,0))', array=True) == []
    assert lint('=IF(A1="x",SUM(A1:A9),0)') == []  # a range in a result, not the condition
    assert lint('=IF(数据[@渠道]="电话",1,0)') == []  # one row of a table


def test_unbalanced_formula_is_reported() -> None:
    assert lint("=SUM(A1:A3") == ["unbalanced parentheses"]


def test_lower_case_function_names_are_reported() -> None:
    assert lint("=sum(A1:A3)") == ["write function names in upper case: sum"]


def test_workbook_every_place_a_formula_lives(tmp_path) -> None:
    wb = Workbook()
    goals = wb.active
    goals.title = "目标"
    goals["A1"], goals["B1"] = "指标", "目标值"
    goals["A2"], goals["B2"] = "满意度", 0.95
    goals["C2"] = "=ROUND(B2*100,1)"
    goals["C3"] = "=_xlfn.XLOOKUP(A2,A:A,B:B)"
    goals["C4"] = '="XLOOKUP(" & A2'
    goals["C5"] = ArrayFormula("C5", '=SUM(IF(A2:A3="满意度",1,0))')
    goals["C6"] = "=IFNA(B2,0)"
    table = Table(displayName="目标表", ref="A1:B2")
    goals.add_table(table)

    settings = wb.create_sheet("设置")
    settings["A1"], settings["B1"] = "截至日期", "=TODAY()"
    settings["B2"] = "=TODAY()"  # not the as-of cell

    dv = DataValidation(type="list", formula1="=OFFSET($A$1,0,0,5,1)")
    goals.add_data_validation(dv)
    dv.add("D2:D9")
    fill = PatternFill("solid", fgColor="FFC7CE")
    goals.conditional_formatting.add(
        "E2:E9", FormulaRule(formula=['TEXT($B2,"mmm")="Jan"'], fill=fill)
    )
    wb.defined_names["截至"] = DefinedName("截至", attr_text="设置!$B$1")
    wb.defined_names["坏"] = DefinedName("坏", attr_text="_xlfn.LET(x,1,x)")
    path = tmp_path / "plan.xlsx"
    wb.save(path)

    found = lint_workbook(path, volatile_cells=["'设置'!$B$1"])

    assert found == [
        "name 坏: LET() is not allowed: missing in Excel 2016/2019 and LibreOffice 7.4",
        "目标!C3: XLOOKUP() is not allowed: missing in Excel 2016/2019 and LibreOffice 7.4",
        "目标!C6: missing _xlfn. prefix: write _xlfn.IFNA",
        "目标!D2:D9 (validation): OFFSET() is volatile: refer to the as-of date cell instead "
        "(only it may be =TODAY())",
        "目标!E2:E9 (conditional format): TEXT() format \"mmm\" uses 'mmm': names and locale "
        "codes differ between Excel and LibreOffice; use numeric codes only",
        "设置!B2: TODAY() is volatile: refer to the as-of date cell instead "
        "(only it may be =TODAY())",
    ]


def test_workbook_table_column_formulas(tmp_path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["工单", "渠道", "标签"])
    ws.append(["A1", "电话", '=_xlfn.CONCAT(数据表[[#This Row],[工单]],"-")'])
    concat = '_xlfn.CONCAT(数据表[[#This Row],[工单]],"-")'
    columns = [
        TableColumn(
            id=1, name="工单", totalsRowFormula=TableFormula(attr_text="ROWS(数据表[工单])")
        ),
        TableColumn(id=2, name="渠道"),
        TableColumn(id=3, name="标签", calculatedColumnFormula=TableFormula(attr_text=concat)),
    ]
    ws.add_table(Table(displayName="数据表", ref="A1:C2", tableColumns=columns))
    path = tmp_path / "table.xlsx"
    wb.save(path)
    assert lint_workbook(path) == [
        "数据!C2: CONCAT() is not allowed: missing in Excel 2016 perpetual",
        "数据!数据表[标签]: CONCAT() is not allowed: missing in Excel 2016 perpetual",
    ]


def test_clean_workbook_has_nothing_to_report(tmp_path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "预算"
    ws.append(["类别", "计划", "实际"])
    ws.append(["人力成本", 100, 90])
    ws["D2"] = '=IF(B2=0,"",ROUND((C2-B2)/B2,4))'
    ws.add_table(Table(displayName="预算表", ref="A1:C2"))
    path = tmp_path / "clean.xlsx"
    wb.save(path)
    assert lint_workbook(path) == []
