"""Bank items as sheet problems, and drawing them for a sheet.

    essay / short   -> one `text` part, self-graded against the item's key points
    single/multiple -> one `choice` part (answer = sorted option letters)
    truefalse       -> one `choice` part with options True / False
    matching        -> one `choice` part per left-hand entry; the choices are the right-hand
                       entries sorted by their English text (so the key is not the list order)
    steps           =  model answer, (key points of objective items), misconceptions + corrections

A bank problem is `family="bank"`, `seed=None`, `params={"id": item id}`.  Drawing:
    order = permutation of the eligible items by default_rng([seed, SALT]) (quizgen.rng = numpy's),
            then stable-sorted by |item difficulty - requested difficulty|
so the same seed, topics and bank give the same items in the same order.
"""

from __future__ import annotations

from quizgen.concepts import LETTERS, Bank, Item
from quizgen.errors import QuizgenError
from quizgen.model import Part, Problem, Text, part_id, t

FAMILY = "bank"
VERSION = 1
SALT = 0xC0C0
TYPE_NAMES = {
    "essay": t("essay question", "论述题"), "short": t("short-answer question", "简答题"),
    "single": t("single choice", "单选题"), "multiple": t("multiple choice", "多选题"),
    "truefalse": t("true or false", "判断题"), "matching": t("matching", "匹配题"),
}
_INSTRUCTIONS = {
    "single": t("Choose one option.", "选择一个选项。"),
    "multiple": t("Choose all options that apply.", "选出所有正确的选项。"),
    "truefalse": t("Is this statement true or false?", "判断下列说法是否正确。"),
    "matching": t("Match each item on the left with one entry on the right.", "为左侧每一项选出对应的右侧条目。"),
}
TRUE_FALSE = (t("True", "正确"), t("False", "错误"))
TEXT_PROMPT = t("Your answer (then tick the key points you covered)", "你的答案（写完后勾选答到的要点）")


def _joined(prefix: Text, body: Text) -> Text:
    return Text(f"{prefix.en} {body.en}", f"{prefix.zh}{body.zh}")


def item_parts(item: Item) -> tuple[Part, ...]:
    if item.type in ("essay", "short"):
        return (Part("a", "text", TEXT_PROMPT, item.answer.en, key_points=item.key_points),)
    if item.type in ("single", "multiple"):
        return (Part("a", "choice", _INSTRUCTIONS[item.type], list(item.key), choices=item.options),)
    if item.type == "truefalse":
        return (Part("a", "choice", _INSTRUCTIONS["truefalse"], ["a" if item.key else "b"], choices=TRUE_FALSE),)
    rights = sorted((right for _, right in item.pairs), key=lambda r: r.en)
    return tuple(Part(part_id(i), "choice", left, [LETTERS[rights.index(right)]], choices=tuple(rights))
                 for i, (left, right) in enumerate(item.pairs))


def item_steps(item: Item) -> tuple[Text, ...]:
    steps = [item.answer]
    if item.objective:
        steps += [_joined(t("Key point:", "要点："), p) for p in item.key_points]
    for m in item.misconceptions:
        steps.append(Text(f"Misconception: {m.text.en} Correction: {m.correction.en}",
                          f"常见误解：{m.text.zh} 纠正：{m.correction.zh}"))
    return tuple(steps)


def item_statement(item: Item) -> Text:
    if item.type in _INSTRUCTIONS and item.type != "matching":
        return Text(f"{item.question.en}\n\n{_INSTRUCTIONS[item.type].en}",
                    f"{item.question.zh}\n\n{_INSTRUCTIONS[item.type].zh}")
    return item.question


def to_problem(item: Item) -> Problem:
    """The sheet problem for one bank item."""
    kind = TYPE_NAMES[item.type]
    return Problem(
        family=FAMILY, family_version=VERSION, seed=None, difficulty=item.difficulty,
        params={"id": item.id}, topic=item.topic,
        title=Text(f"Concept ({kind.en})", f"概念题（{kind.zh}）"),
        statement=item_statement(item), parts=item_parts(item), steps=item_steps(item),
    )


def draw(bank: Bank, topics: list[str] | tuple[str, ...], count: int, seed: int,
         difficulty: str = "medium") -> list[Problem]:
    """`count` distinct items of the topics (all topics when empty), deterministic in seed."""
    from quizgen.concepts import DIFFICULTIES
    from quizgen.rng import default_rng

    pool = bank.select(topics)
    if count > len(pool):
        where = f"topic(s) {', '.join(topics)}" if topics else "the bank"
        raise QuizgenError(f"only {len(pool)} concept items in {where}; asked for {count}")
    order = [pool[i] for i in default_rng([seed, SALT]).permutation(len(pool))]
    want = DIFFICULTIES.index(difficulty) if difficulty in DIFFICULTIES else 1
    order.sort(key=lambda item: abs(DIFFICULTIES.index(item.difficulty) - want))
    return [to_problem(item) for item in order[:count]]


def rebuild(problem: Problem, bank: Bank | None = None) -> Problem:
    """The bank problem rebuilt from its item id (the shipped bank unless one is given)."""
    from quizgen.concepts import load_bank

    return to_problem((bank or load_bank()).get(problem.params["id"]))
