"""Progress statistics from the store: accuracy, weakest families, streak, due reviews.

    accuracy(group)  = Σ part score / number of parts recorded   (a skipped part or a shown
                       solution counts as 0, a part after hints as its reduced score)
    last 7 days      = parts graded at or after now − 7 days
    problems done    = distinct (session, problem) pairs with at least one part not skipped
    streak           = consecutive local calendar days with a part answered (not skipped), ending today
                       (or yesterday, when nothing was done yet today)
    weakest families = accuracy < 1 over at least MIN_PARTS parts, lowest first
    daily            = accuracy per local day for the last SPARK_DAYS days (None: no work)
    family key       = the family name; bank items are grouped as bank/<topic>
    mock exams       = every timed `quizgen exam --time` run, oldest first: marks of total,
                       percent = marks / total, minutes used of the time allowed, why it ended
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from quizgen.store import Store, from_iso
from quizgen.text import by_lang

MIN_PARTS = 3
WEAKEST = 3
SPARK_DAYS = 14
SPARKS = "▁▂▃▄▅▆▇█"


def _family_key(row: dict) -> str:
    return f"bank/{row['topic']}" if row["family"] == "bank" else row["family"]


def _group(rows: list[dict], key, week_start: datetime, days: list[date]) -> dict[str, dict]:
    acc: dict[str, dict] = defaultdict(lambda: {"parts": 0, "score": 0.0, "week_parts": 0, "week_score": 0.0,
                                                "by_day": defaultdict(lambda: [0, 0.0])})
    for r in rows:
        g = acc[key(r)]
        g["parts"] += 1
        g["score"] += r["score"]
        if r["_ts"] >= week_start:
            g["week_parts"] += 1
            g["week_score"] += r["score"]
        day = g["by_day"][r["_day"]]
        day[0] += 1
        day[1] += r["score"]
    out = {}
    for name in sorted(acc):
        g = acc[name]
        out[name] = {
            "parts": g["parts"],
            "accuracy": round(g["score"] / g["parts"], 4),
            "week_parts": g["week_parts"],
            "week_accuracy": round(g["week_score"] / g["week_parts"], 4) if g["week_parts"] else None,
            "daily": [round(g["by_day"][d][1] / g["by_day"][d][0], 4) if d in g["by_day"] else None for d in days],
        }
    return out


def streak(days_worked: set[date], today: date) -> int:
    day = today if today in days_worked else today - timedelta(days=1)
    n = 0
    while day in days_worked:
        n += 1
        day -= timedelta(days=1)
    return n


def compute(store: Store, now: datetime) -> dict:
    """Everything `quizgen stats` shows, as JSON-able data."""
    from quizgen.review import due_cards, next_due

    today = now.astimezone().date()
    days = [today - timedelta(days=i) for i in range(SPARK_DAYS - 1, -1, -1)]
    week_start = now - timedelta(days=7)
    rows = []
    for r in store.answers():
        r["_ts"] = from_iso(r["ts"])
        r["_day"] = r["_ts"].astimezone().date()
        rows.append(r)
    families = _group(rows, _family_key, week_start, days)
    weakest = sorted((name for name, g in families.items() if g["parts"] >= MIN_PARTS and g["accuracy"] < 1),
                     key=lambda name: (families[name]["accuracy"], name))[:WEAKEST]
    due = due_cards(store, now)
    total = sum(r["score"] for r in rows)
    return {
        "now": now.isoformat(timespec="seconds"),
        "parts": len(rows),
        "problems": len({(r["session_id"], r["problem"]) for r in rows if r["status"] != "skipped"}),
        "accuracy": round(total / len(rows), 4) if rows else None,
        "streak": streak({r["_day"] for r in rows if r["status"] != "skipped"}, today),
        "days": [d.isoformat() for d in days],
        "topics": _group(rows, lambda r: r["topic"], week_start, days),
        "families": families,
        "weakest": weakest,
        "next_due": ({"item": nxt.item, "due": nxt.due.isoformat(timespec="seconds")}
                     if (nxt := next_due(store)) is not None else None),
        "exams": exam_rows(store),
        "due_today": [{"item": d.item, "topic": d.topic, "due": d.due.isoformat(timespec="seconds"),
                       "retrievability": round(d.retrievability, 3)} for d in due],
    }


def exam_rows(store: Store) -> list[dict]:
    out = []
    for e in store.exams():
        used = (from_iso(e["ended"]) - from_iso(e["started"])).total_seconds() / 60 if e["ended"] else None
        out.append({"started": e["started"], "seed": e["seed"], "marks": e["marks"], "total": e["total"],
                    "percent": round(100 * e["marks"] / e["total"], 1) if e["total"] else None,
                    "minutes": e["minutes"], "used_minutes": round(min(used, e["minutes"]), 1) if used is not None else None,
                    "reason": e["reason"]})
    return out


def sparkline(values: list[float | None]) -> str:
    """One character per day: ▁ (0) .. █ (1), a middle dot for a day without work."""
    return "".join("·" if v is None else SPARKS[min(int(v * len(SPARKS)), len(SPARKS) - 1)] for v in values)


def bar(fraction: float, width: int = 20) -> str:
    full = round(fraction * width)
    return "█" * full + "░" * (width - full)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


WORDS = by_lang({
    "en": {"empty": "No quiz results yet. Start with `quizgen quiz`.",
           "head": "{problems} problems, {parts} parts graded, accuracy {acc}", "streak": " · streak {n} day{s}",
           "by_topic": "By topic", "by_family": "By family", "topic": "topic", "family": "family",
           "accuracy": "accuracy", "all": "all", "week": "7 days", "parts": "parts", "days": "last {n} days",
           "weakest": "Weakest: ", "due": "Due for review today ({n}): {items}{more} — `quizgen quiz --review`",
           "more": " and {n} more", "nothing_due": "Nothing due for review today.", "next": " Next: {item} on {day}.",
           "weekdays": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
           "exams": "Mock exams", "date": "date", "score": "marks", "time": "time", "seed": "seed", "min": "min",
           "ended": {"time": "time up", "done": "finished", "quit": "quit", "eof": "end of input",
                     "interrupt": "interrupted", None: "unfinished"}},
    "zh": {"empty": "还没有测验记录。用 `quizgen quiz` 开始吧。",
           "head": "共 {problems} 道题、{parts} 个小题已评分，正确率 {acc}", "streak": " · 连续 {n} 天",
           "by_topic": "按主题", "by_family": "按题型", "topic": "主题", "family": "题型",
           "accuracy": "正确率", "all": "全部", "week": "近 7 天", "parts": "小题", "days": "近 {n} 天",
           "weakest": "最薄弱：", "due": "今天待复习（{n}）：{items}{more} —— `quizgen quiz --review`",
           "more": " 等另外 {n} 项", "nothing_due": "今天没有待复习的内容。", "next": " 下一次：{item}，{day}。",
           "weekdays": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
           "exams": "模拟考试", "date": "日期", "score": "得分", "time": "用时", "seed": "种子", "min": "分钟",
           "ended": {"time": "时间到", "done": "完成", "quit": "退出", "eof": "输入结束",
                     "interrupt": "中断", None: "未结束"}},
})


def local_day(iso: str, lang: str) -> str:
    """2026-12-04 Fri / 2026-12-04 周五 in local time (the weekday from a table, not the locale)."""
    day = datetime.fromisoformat(iso).astimezone()
    return f"{day:%Y-%m-%d} {WORDS[lang]['weekdays'][day.weekday()]}"


def view(data: dict, lang: str = "en"):
    """The stats as rich renderables, in English or Chinese."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    w = WORDS[lang]
    if not data["parts"]:
        return Text(w["empty"]) if not data["exams"] else exams_view(data["exams"], lang)
    head = Text()
    head.append(w["head"].format(problems=data["problems"], parts=data["parts"], acc=_pct(data["accuracy"])),
                style="bold")
    head.append(w["streak"].format(n=data["streak"], s="s" if data["streak"] != 1 else ""))
    topics = Table(title=w["by_topic"], title_justify="left", header_style="bold")
    topics.add_column(w["topic"], no_wrap=True)
    topics.add_column(w["accuracy"], no_wrap=True)
    topics.add_column(w["all"], justify="right")
    topics.add_column(w["week"], justify="right")
    topics.add_column(w["parts"], justify="right")
    topics.add_column(w["days"].format(n=SPARK_DAYS), no_wrap=True)
    for name, g in data["topics"].items():
        style = "green" if g["accuracy"] >= 0.8 else "yellow" if g["accuracy"] >= 0.5 else "red"
        topics.add_row(name, Text(bar(g["accuracy"], 16), style=style), _pct(g["accuracy"]),
                       _pct(g["week_accuracy"]), str(g["parts"]), sparkline(g["daily"]))
    families = Table(title=w["by_family"], title_justify="left", header_style="bold")
    for col in ("family", "all", "week", "parts"):
        families.add_column(w[col], justify="left" if col == "family" else "right")
    for name, g in data["families"].items():
        families.add_row(name, _pct(g["accuracy"]), _pct(g["week_accuracy"]), str(g["parts"]))
    parts = [head, topics, families]
    if data["exams"]:
        parts.append(exams_view(data["exams"], lang))
    if data["weakest"]:
        parts.append(Text(w["weakest"] + ", ".join(f"{n} ({_pct(data['families'][n]['accuracy'])})"
                                                   for n in data["weakest"]), style="bold red"))
    if data["due_today"]:
        items = ", ".join(d["item"] for d in data["due_today"][:8])
        more = w["more"].format(n=len(data["due_today"]) - 8) if len(data["due_today"]) > 8 else ""
        parts.append(Text(w["due"].format(n=len(data["due_today"]), items=items, more=more), style="bold"))
    else:
        nxt = data["next_due"]
        when = w["next"].format(item=nxt["item"], day=local_day(nxt["due"], lang)) if nxt else ""
        parts.append(Text(w["nothing_due"] + when, style="dim"))
    return Group(*parts)


def exams_view(exams: list[dict], lang: str):
    """Mock-exam scores over time: one row per exam, a bar of its percentage."""
    from rich.table import Table
    from rich.text import Text

    w = WORDS[lang]
    table = Table(title=w["exams"], title_justify="left", header_style="bold")
    for col in ("date", "score", "", "time", "", "seed"):
        table.add_column(w[col] if col else "", justify="right" if col in ("score", "time", "seed") else "left",
                         no_wrap=True)
    for e in exams:
        pct = e["percent"] or 0.0
        style = "green" if pct >= 80 else "yellow" if pct >= 50 else "red"
        used = "–" if e["used_minutes"] is None else f"{e['used_minutes']:g}/{e['minutes']:g} {w['min']}"
        table.add_row(local_day(e["started"], lang), f"{e['marks']:g}/{e['total']} ({pct:.0f}%)",
                      Text(bar(pct / 100, 10), style=style), used, w["ended"].get(e["reason"], str(e["reason"])),
                      str(e["seed"]))
    return table
