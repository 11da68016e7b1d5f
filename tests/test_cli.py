"""The command line: exit codes, JSON on stdout, messages on stderr, fast start-up."""

import json
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from csxl import __version__
from csxl.cli import main


def _export(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["工单号", "创建时间", "首次响应时间", "团队", "客服"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


GOOD = [
    ["A1", "2026-03-01 09:00:00", "2026-03-01 09:00:20", "一组", "张三"],
    ["A2", "2026-03-02 10:00:00", "2026-03-02 10:01:00", "二组", "李四"],
]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_json_document_on_stdout(tmp_path):
    result = run("kpi", _export(tmp_path / "t.xlsx", GOOD), "--by", "team", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["source"] == "t.xlsx"
    assert doc["rows"] == {"read": 2, "valid": 2, "rejected": 0, "duplicates": 0}
    assert [g["key"] for g in doc["groups"]] == [None, "一组", "二组"]
    assert doc["groups"][0]["kpis"]["frt_mean"] == pytest.approx((20 + 60) / 2)


def test_rejected_rows_exit_1_and_are_listed_on_stderr(tmp_path):
    rows = [*GOOD, ["A3", "2026-03-03 10:00:00", "2026-03-03 09:00:00", "一组", "张三"]]
    result = run("kpi", _export(tmp_path / "t.xlsx", rows), "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["rows"]["rejected"] == 1
    assert "第 4 行" in result.stderr and "首次响应时间 早于 创建时间" in result.stderr


def test_english_messages(tmp_path):
    rows = [*GOOD, ["", "2026-03-03 10:00:00", "", "一组", "张三"]]
    result = run("kpi", _export(tmp_path / "t.xlsx", rows), "--lang", "en")
    assert result.exit_code == 1
    assert "row 4" in result.stderr and "ticket id is empty" in result.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--month", "2026-13"], "不是月份"),
        (["--from", "03/01/2026"], "不是日期"),
        (["--month", "2026-03", "--from", "2026-03-01"], "请只给 --month 或 --from/--to 之一"),
        (["--month", "2026-13", "--lang", "en"], "not a month"),
        (["--from", "03/01/2026", "--lang", "en"], "not a date"),
        (["--month", "2026-03", "--from", "2026-03-01", "--lang", "en"], "either --month"),
    ],
)
def test_bad_period_flags_are_refused(tmp_path, args, words):
    result = run("kpi", _export(tmp_path / "t.xlsx", GOOD), *args)
    assert result.exit_code == 2 and words in result.stderr


def test_bad_grouping_is_a_usage_error(tmp_path):
    result = run("kpi", _export(tmp_path / "t.xlsx", GOOD), "--by", "team,weekday")
    assert result.exit_code == 2 and "--by" in result.stderr


def test_unreadable_input_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 not really")
    result = run("kpi", tmp_path / "bad.xlsx")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "bad.xlsx" in result.stderr


def test_help_imports_no_heavy_library():
    code = (
        "import sys; from click.testing import CliRunner; from csxl.cli import main; "
        "r = CliRunner().invoke(main, ['--help']); assert r.exit_code == 0; "
        "print(sorted(m for m in ('pandas', 'openpyxl', 'fastexcel', 'xlwings', 'numpy') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_python_dash_m_csxl_is_the_same_command(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "csxl", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"csxl {__version__}"


# --- customer KPIs: --orders ------------------------------------------------------------------


def _orders(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["订单编号", "买家会员名", "订单付款时间", "买家实际支付金额", "订单状态"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _customer_export(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["工单号", "创建时间", "首次响应时间", "团队", "客户ID", "满意度"])
    ws.append(["A1", "2026-03-01 09:00:00", "2026-03-01 09:00:20", "一组", "大客户", 5])
    ws.append(["A2", "2026-03-02 10:00:00", "2026-03-02 10:01:00", "二组", "散客", 2])
    wb.save(path)
    return path


ORDERS = [
    ["1", "大客户", "2026-02-10 10:00:00", "¥50,000.00", "交易成功"],  # high value by amount
    ["2", "大客户", "2026-03-05 10:00:00", "100", "交易成功"],
    ["3", "散客", "2026-02-11 10:00:00", "100", "交易成功"],
    ["4", "散客", "2026-03-06 10:00:00", "100", "交易关闭"],  # closed: not a purchase
    ["5", "新客", "2026-03-07 10:00:00", "100", "交易成功"],
    ["5", "新客", "2026-03-07 10:00:00", "100", "交易成功"],  # exported twice
]


def test_orders_add_the_customer_kpis_to_every_group(tmp_path):
    tickets = _customer_export(tmp_path / "t.xlsx")
    orders = _orders(tmp_path / "o.xlsx", ORDERS)
    result = run("kpi", tickets, "--orders", orders, "--by", "team", "--month", "2026-03", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["orders"]["rows"] == {
        "read": 6, "valid": 4, "rejected": 0, "duplicates": 1, "excluded": 1
    }  # fmt: skip
    assert doc["orders"]["as_of"] == "2026-03-07"
    everyone, one, two = (g["kpis"] for g in doc["groups"])
    assert everyone["high_value_customers"] == 1  # 大客户: 50,100 in 12 months
    assert (everyone["hv_tickets"], everyone["hv_csat"], everyone["hv_frt_median"]) == (1, 1.0, 20)
    # February: 大客户, 散客; in March only 大客户 ordered (散客's order was closed)
    assert everyone["retention_rate"] == 1 / 2
    # March: 大客户 1 order, 新客 1 order (the copy is a duplicate): nobody bought twice
    assert everyone["repurchase_rate"] == 0
    assert one["hv_tickets"] == 1 and two["hv_tickets"] == 0 and two["hv_csat"] is None
    assert doc["orders"]["previous_repurchase_rate"] == 0  # February: one order each
    assert doc["orders"]["by_month"][-1] == {
        "month": "2026-03", "customers": 2, "retained": 1, "retention_rate": 0.5,
        "repurchase_rate": 0.0,
    }  # fmt: skip
    assert one["retention_rate"] is None  # the customer base is not split by team
    for key in ("high_value_customers", "hv_tickets", "retention_rate", "repurchase_rate"):
        assert key not in doc["unavailable"]


def test_rejected_order_rows_exit_1_and_are_listed(tmp_path):
    tickets = _customer_export(tmp_path / "t.xlsx")
    orders = _orders(tmp_path / "o.xlsx", [*ORDERS, ["6", "", "2026-03-08 10:00:00", "5", ""]])
    result = run("kpi", tickets, "--orders", orders, "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["orders"]["rows"]["rejected"] == 1
    assert "o.xlsx [Sheet] 第 8 行 买家会员名：客户为空" in result.stderr


def test_plain_table_shows_the_customer_kpis(tmp_path):
    tickets = _customer_export(tmp_path / "t.xlsx")
    orders = _orders(tmp_path / "o.xlsx", ORDERS)
    result = run("kpi", tickets, "--orders", orders, "--lang", "en", "--by", "team")
    assert result.exit_code == 0, result.output
    assert "High-value customers" in result.stdout and "Retention rate" in result.stdout
    team = result.stdout.split("Team")[1]  # per team too (headers wrap in 80 columns)
    assert "High-value" in team and "CSAT" in team
    assert "1 not purchases" in result.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--as-of", "2026/03/31"], "--as-of"),
        (["--orders", "missing.xlsx"], "文件不存在"),
        (["--orders", "missing.xlsx", "--lang", "en"], "file not found"),
    ],
)
def test_bad_customer_flags_are_refused(tmp_path, args, words):
    tickets = _customer_export(tmp_path / "t.xlsx")
    orders = _orders(tmp_path / "o.xlsx", ORDERS)
    result = run("kpi", tickets, "--orders", orders, *args)
    assert result.exit_code == 2 and words in result.stderr
    assert result.stderr.count("\n") == 1


def test_as_of_flag_moves_the_high_value_windows(tmp_path):
    tickets = _customer_export(tmp_path / "t.xlsx")
    orders = _orders(tmp_path / "o.xlsx", ORDERS)
    # as of 2027-02-10 the 50,000 order of 2026-02-10 is on the excluded edge day
    result = run("kpi", tickets, "--orders", orders, "--as-of", "2027-02-10", "--json")
    doc = json.loads(result.stdout)
    window = doc["orders"]["high_value"]["amount_window"]
    assert window == {"from": "2026-02-11", "to": "2027-02-10"}
    assert doc["groups"][0]["kpis"]["high_value_customers"] == 0


def _plan_like(path, order_rows):
    """A workbook with a Data (数据) sheet of tickets and an Orders (订单) sheet."""
    wb = openpyxl.Workbook()
    data = wb.active
    data.title = "数据"
    data.append(["工单号", "创建时间", "首次响应时间", "团队", "客户ID", "满意度"])
    data.append(["A1", "2026-03-01 09:00:00", "2026-03-01 09:00:20", "一组", "大客户", 5])
    orders = wb.create_sheet("订单")
    orders.append(["订单号", "客户ID", "下单时间", "订单金额"])
    for row in order_rows:
        orders.append(row)
    wb.save(path)
    return path


def test_a_plan_workbooks_orders_sheet_is_read_without_the_flag(tmp_path):
    plan = _plan_like(tmp_path / "plan.xlsx", [["1", "大客户", "2026-02-01 10:00:00", 50_000]])
    result = run("kpi", plan, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["orders"]["source"] == "plan.xlsx" and doc["orders"]["rows"]["valid"] == 1
    assert doc["groups"][0]["kpis"]["high_value_customers"] == 1
    assert doc["groups"][0]["kpis"]["hv_tickets"] == 1


def test_an_empty_orders_sheet_makes_the_customer_kpis_unavailable_not_zero(tmp_path):
    result = run("kpi", _plan_like(tmp_path / "plan.xlsx", []), "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    k = doc["groups"][0]["kpis"]
    assert k["high_value_customers"] is None and k["hv_tickets"] is None
    assert doc["unavailable"]["high_value_customers"] == "no orders in plan.xlsx"


# --- call-centre KPIs: --calls ----------------------------------------------------------------

CALL_ROWS = [
    # 呼叫ID, 呼入时间, 坐席, 技能组, 接听状态, 排队时长(秒)
    ["K1", "2026-03-02 09:00:00", "张三", "热线", "已接听", "8"],
    ["K2", "2026-03-02 09:01:00", "李四", "热线", "已接听", "1分05秒"],
    ["K3", "2026-03-02 09:02:00", "", "热线", "未接听", "40"],
    ["K3", "2026-03-02 09:02:00", "", "热线", "未接听", "41"],  # the last copy is kept
    ["K4", "2026-03-02 09:03:00", "李四", "热线", "已接听", "-1"],  # rejected
    ["K5", "2026-02-27 09:03:00", "李四", "热线", "已接听", "1"],  # February
]


def _calls_csv(path):
    head = "呼叫ID,呼入时间,坐席,技能组,接听状态,排队时长(秒)\n"
    path.write_text(head + "".join(",".join(r) + "\n" for r in CALL_ROWS), encoding="utf-8")
    return path


def test_calls_add_a_calls_object_of_call_kpis(tmp_path):
    tickets = _customer_export(tmp_path / "t.xlsx")
    calls = _calls_csv(tmp_path / "calls.csv")
    result = run("kpi", tickets, "--calls", calls, "--by", "agent", "--month", "2026-03", "--json")
    assert result.exit_code == 1, result.output  # K4 is rejected: exit 1, listed on stderr
    assert "第 6 行 排队时长(秒)：等待时长为负数" in result.stderr
    c = json.loads(result.stdout)["calls"]
    assert c["rows"] == {"read": 6, "valid": 4, "rejected": 1, "duplicates": 1}
    assert c["settings"] == {"sl_seconds": 20, "short_abandon_s": 0}
    assert c["period"] == {"from": "2026-03-01", "to": "2026-03-31"}
    everyone, *agents = c["groups"]
    # K1 answered at 8 s (within 20 s), K2 at 65 s, K3 abandoned after 41 s
    assert everyone == {
        "by": "all",
        "key": None,
        "kpis": {
            "offered": 3, "answered": 2, "abandoned": 1, "answered_within": 1,
            "answer_rate": 2 / 3, "abandon_rate": 1 / 3, "service_level": 1 / 3,
            "asa_s": (8 + 65) / 2,
        },
    }  # fmt: skip
    assert [(g["key"], g["kpis"]["offered"], g["kpis"]["abandoned"]) for g in agents] == [
        ("张三", 1, 0),
        ("李四", 1, 0),
        (None, 1, 1),
    ]
    assert c["unavailable"] == {}


def test_calls_of_a_plan_workbook_use_its_thresholds_and_match_its_calls_sheet_kpis(tmp_path):
    from csxl.domain.columns import CALLS
    from csxl.refresh import refresh
    from csxl.workbook.data_sheet import paste
    from csxl.workbook.layout import Calls as L
    from csxl.workbook.port import PackageBook
    from tests.plan_fixtures import at, clean_tickets, pasted_plan, plan_inputs, sheet

    plan = pasted_plan(tmp_path / "plan.xlsx", clean_tickets(40), plan_inputs())
    frame = pd.DataFrame(
        CALL_ROWS[:4], columns=["呼叫ID", "呼入时间", "坐席", "技能组", "接听状态", "排队时长(秒)"]
    )
    book = PackageBook(plan)
    paste(book, frame.replace("", None), CALLS)
    book.write("Calls", {(L.ROW_SL_SECONDS, 2): 10, (L.ROW_SHORT_ABANDON, 2): 5})
    book.commit()
    refresh(PackageBook(plan), "2026-03")
    result = run("kpi", plan, "--calls", plan, "--month", "2026-03", "--json")
    assert result.exit_code == 0, result.output
    c = json.loads(result.stdout)["calls"]
    assert c["source"] == "plan.xlsx" and c["settings"] == {"sl_seconds": 10, "short_abandon_s": 5}
    k = c["groups"][0]["kpis"]
    counts = [at(sheet(plan, "Calls"), L.FIRST_ROW, col) for col in range(L.OFFERED, L.WITHIN + 1)]
    assert [k["offered"], k["answered"], k["abandoned"], k["answered_within"]] == counts
    assert counts == [3, 2, 1, 1]


def test_calls_without_wait_times_kpi_unavailable_not_zero(tmp_path):
    tickets = _customer_export(tmp_path / "t.xlsx")
    calls = tmp_path / "calls.csv"
    calls.write_text("Call ID,Start time,Answered\nA,2026-03-01 09:00,yes\n", encoding="utf-8")
    result = run("kpi", tickets, "--calls", calls, "--json", "--lang", "en")
    assert result.exit_code == 0, result.output
    c = json.loads(result.stdout)["calls"]
    assert c["groups"][0]["kpis"]["service_level"] is None
    assert c["unavailable"]["service_level"] == "no wait-time column"
    plain = run("kpi", tickets, "--calls", calls, "--lang", "en")
    assert "Calls calls.csv: read 1 rows" in plain.stdout and "100.0%" in plain.stdout


# --- csxl staff --------------------------------------------------------------------------


def staff_json(*args):
    result = run("staff", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_staff_reference_example():
    # 100 calls per 30 min, AHT 180 s, 80% in 20 s: 14 agents, 20 scheduled at 30% shrinkage.
    doc = staff_json(
        "--calls", 100, "--interval-min", 30, "--aht", 180, "--target-sl", 0.8,
        "--target-s", 20, "--shrinkage", 0.3,
    )  # fmt: skip
    assert list(doc) == ["agents", "scheduled", "service_level", "asa_s", "occupancy"]
    assert (doc["agents"], doc["scheduled"]) == (14, 20)
    assert round(doc["service_level"], 3) == 0.888
    assert round(doc["asa_s"], 1) == 7.8
    assert doc["occupancy"] == pytest.approx(10 / 14)


def test_staff_defaults_and_readable_output():
    # --interval-min 30, --target-sl 0.8, --target-s 20 and --shrinkage 0 are the defaults.
    assert staff_json("--calls", 100, "--aht", 180)["scheduled"] == 14
    result = run("staff", "--calls", 100, "--aht", 180, "--shrinkage", 0.3, "--lang", "en")
    assert result.exit_code == 0
    assert "14 agents" in result.stdout and "20 scheduled" in result.stdout
    assert "88.8%" in result.stdout


def test_staff_max_occupancy_adds_agents():
    # 10 Erlangs: 14 agents are 71.4% occupied; at most 70% needs 15.
    doc = staff_json("--calls", 100, "--aht", 180, "--max-occupancy", 0.7)
    assert doc["agents"] == 15 and doc["occupancy"] == pytest.approx(10 / 15)


def test_staff_hundreds_of_erlangs_is_stable():
    # 5,000 calls of 180 s in 30 min = 500 Erlangs; a factorial form would overflow.
    from csxl.domain.staffing import service_level

    doc = staff_json("--calls", 5000, "--aht", 180, "--shrinkage", 0.25)
    n = doc["agents"]
    assert 500 < n < 530
    assert doc["service_level"] >= 0.8 > service_level(n - 1, 500.0, 180, 20)
    assert doc["scheduled"] == -(-n * 4 // 3)  # ceil(n / 0.75)
    assert 0 < doc["asa_s"] < 20 and doc["occupancy"] == pytest.approx(500 / n)


def test_staff_no_calls_need_no_one():
    doc = staff_json("--calls", 0, "--aht", 180)
    assert doc == {
        "agents": 0,
        "scheduled": 0,
        "service_level": 1.0,
        "asa_s": 0.0,
        "occupancy": 0.0,
    }


@pytest.mark.parametrize(
    "args",
    [
        ["--aht", "180"],  # no --calls
        ["--calls", "100"],  # no --aht
        ["--calls", "-1", "--aht", "180"],
        ["--calls", "100", "--aht", "0"],
        ["--calls", "100", "--aht", "180", "--target-sl", "80"],
        ["--calls", "100", "--aht", "180", "--shrinkage", "1"],
        ["--calls", "100", "--aht", "180", "--max-occupancy", "0"],
        ["plan.xlsx", "--calls", "100", "--aht", "180"],  # workbook or flags, not both
    ],
)
def test_staff_bad_flags_are_refused(args):
    result = run("staff", *args)
    assert result.exit_code == 2 and "Traceback" not in result.output
