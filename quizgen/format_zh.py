"""Format-error messages in Chinese: the parsers raise English messages; a student who reads
Chinese gets them translated here (a pattern per message; values are carried over).

    zh_message("exponent is too large (at most 64)") -> "指数太大（最多 64）"

An English message with no pattern here is returned as it is (tests/test_zh_text.py checks
that every message the parsers raise has one).
"""

from __future__ import annotations

import re

_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"a bracket is not closed", "有括号没有闭合"),
    (r"a neuron needs its weights and a threshold, like 1, 1, 1\.5", "一个神经元需要权重和阈值，如 1, 1, 1.5"),
    (r"answer is nested too deeply", "答案嵌套太深"),
    (r"division by zero", "除以零"),
    (r"empty answer", "答案为空"),
    (r"expected \+1, -1 or 0", "应为 +1、-1 或 0"),
    (r"expected a matrix like \[\[1, 2\], \[3, 4\]\]", "应为矩阵，如 [[1, 2], [3, 4]]"),
    (r"expected a shape of whole numbers, like 25x13x13", "应为由整数组成的形状，如 25x13x13"),
    (r"expected a whole number, like 55", "应为整数，如 55"),
    (r"expected items separated by commas, like x1, x3 \(or none\)", "应为用逗号分隔的各项，如 x1, x3（没有则写 none）"),
    (r"expected numbers separated by commas, like \[0\.1, 0\.2\]", "应为用逗号分隔的数，如 [0.1, 0.2]"),
    (r"expected one of (.+)", r"应为以下之一：\1"),
    (r"expected text", "应为文字"),
    (r"expected yes or no \(是/否\)", "应为 是 或 否（yes/no）"),
    (r"fractional power of a negative number", "负数的分数次幂"),
    (r"logarithm of a non-positive number", "非正数的对数"),
    (r"matrix rows must all have the same length", "矩阵各行的长度必须相同"),
    (r"number has too many digits", "数字位数太多"),
    (r"number is too large for an expression", "表达式中的数太大"),
    (r"number is too large", "数值太大"),
    (r"square root of a negative number", "负数的平方根"),
    (r"the answer ends too early", "答案不完整"),
    (r"the key could not be evaluated at enough points to compare with", "答案表达式无法在足够多的点上求值，无法比较"),
    (r"the last layer must have exactly one neuron", "最后一层必须恰好有一个神经元"),
    (r"tick the key points by number, like `1 3`, or type all / none", "按编号勾选要点，如 `1 3`，或输入 all / none"),
    (r"a number cannot contain the name (.+)", r"数值中不能含有名称 \1"),
    (r"answer is too long \(over (\d+) characters\)", r"答案太长（超过 \1 个字符）"),
    (r"answer is too long \(over (\d+) terms and operations\)", r"答案太长（超过 \1 个项和运算）"),
    (r"at most (\d+) layers of (\d+) neurons", r"最多 \1 层，每层 \2 个神经元"),
    (r"could not read (.+) here; functions take one argument", r"无法识别此处的 \1；函数只接受一个参数"),
    (r"could not read (.+) here", r"无法识别此处的 \1"),
    (r"expected an option letter from (\w) to (\w)", r"应为 \1 到 \2 之间的选项字母"),
    (r"exponent is too large \(at most (\d+)\)", r"指数太大（最多 \1）"),
    (r"expression is too complex \(degree over (\d+)\); simplify it", r"表达式太复杂（次数超过 \1）；请化简"),
    (r"key point numbers go from 1 to (\d+)", r"要点编号为 1 到 \1"),
    (r"row (\d+) has (\d+) cells \((.+)\), got (\d+)", r"第 \1 行有 \2 格（\3），你给了 \4 格"),
    (r"the character (.+) is not allowed", r"不允许使用字符 \1"),
    (r"only numbers, \+ - \* / \^, sqrt, exp, ln, σ, tanh, abs, sin, cos, e and pi are allowed, not (.+)",
     r"只允许数字、+ - * / ^、sqrt、exp、ln、σ、tanh、abs、sin、cos、e 和 pi，不能用 \1"),
    (r"this problem has no table row (\d+)", r"本题的表格没有第 \1 行"),
    (r"unknown function (.+)", r"未知函数 \1"),
    (r"variable name (.+) is too long", r"变量名 \1 太长"),
    (r"(\w+) needs brackets: \w+\(\.\.\.\)", r"\1 需要括号：\1(...)"),
    (r"(\w+)\(\.\.\.\) is not a function; write \w+\*\(\.\.\.\) for a product", r"\1(...) 不是函数；乘积请写 \1*(...)"),
    (r"this expression could not be checked in the time allowed; simplify it and try again",
     "在限定时间内无法判定这个表达式；请化简后重试"),
    (r"this expression could not be evaluated at (.+) \(too large, or at a boundary of its domain\); "
     r"simplify it and try again", r"这个表达式无法在 \1 处求值（数值太大，或在定义域边界上）；请化简后重试"),
)
_COMPILED = tuple((re.compile(p + r"$"), zh) for p, zh in _PATTERNS)


def zh_message(message: str) -> str:
    """The Chinese for one format-error message (parts joined by '; ' are translated each)."""
    out = []
    for piece in message.split("; expected "):
        for pattern, zh in _COMPILED:
            if pattern.match(piece):
                piece = pattern.sub(zh, piece)
                break
        out.append(piece)
    return "；应为".join(out)


def has_translation(message: str) -> bool:
    return any(p.match(message) for p, _ in _COMPILED)
