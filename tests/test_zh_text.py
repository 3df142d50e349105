"""No English left in Chinese text (issue 10 §5): every zh text of every family, the bank,
the labs and the CLI's zh output, outside math, code and an allow-list of terms.

What counts as code: `$math$`, `code` and ```blocks```, dotted or underscored identifiers
(nn.Conv2d(…), in_features, C_in, cnn.shape#12), name=value, tokens mixing digits and
letters (25x13x13, 1e-3, seq2seq), [token] names, file paths and --options.  A Chinese term may be glossed with its English name in
full-width brackets, at most two words: 空洞率（dilation）.  ALL-CAPS acronyms (GRU, XOR,
BPTT) and single letters (variables) are allowed; so are the ALLOWED terms below.
In CLI output, where code is no longer marked, the words of the problems' code spans are
allowed as well, and so are bank item ids, topic names and the cited lecture titles (`source`).
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import run_cli

ALLOWED = {
    # activations, losses, optimizers, layers: the usual names in Chinese course notes
    "ReLU", "PReLU", "ELU", "Leaky", "sigmoid", "Sigmoid", "tanh", "Tanh", "softmax", "logit", "logits",
    "one-hot", "k-means", "Dropout", "dropout", "autograd", "Adam", "AdamW", "AdaGrad", "RMSProp", "Adagrad", "RMSprop",
    "ln", "log", "exp", "max", "min", "NaN", "sqrt", "abs", "pi", "sin", "cos", "LayerNorm", "BatchNorm", "leaky", "softplus", "hinge", "logistic", "sign", "Var",
    "net",  # the perceptron's net input, as a symbol in words (y·net ≤ 0)
    "True", "False",  # PyTorch arguments (batch_first=True)
    "output",  # the first value nn.RNN/LSTM/GRU return (output, h_n)
    "Keras", "Elman", "Mazur", "Baydin", "scikit-learn", "step", "skip-gram",
    # networks, data sets, software
    "AlexNet", "DenseNet", "GoogLeNet", "ImageNet", "Inception", "LeNet", "ResNet", "ViT", "Transformer",
    "BERT-base", "Hyperband", "PyTorch", "Python", "TensorFlow", "TorchScript",
    # people (and the methods named after them)
    "He", "Xavier", "Nesterov", "Hebb", "Hopfield", "Kohonen", "Minsky", "Papert", "Rosenblatt", "Ioffe",
    "Szegedy", "Zhang", "McCulloch-Pitts", "Hessian",
    # net-spec keywords of `quizgen solve net` and the layer short names (conv 6@5×5 s1 p0)
    "conv", "maxpool", "avgpool", "fc", "flatten", "nobias", "relu",
}

MARKED = re.compile(r"\$[^$]*\$|`[^`]*`")
CODE = re.compile(r"(?<![\w/])/[^\s，。；）]+|--\w[\w-]*"              # /tmp/s.json, --verify
                  r"|[A-Za-z_]\w*(?:\.\w+)+(?:[#:]\w+)?(?:\([^)]*\))?"  # nn.Conv2d(...), cnn.shape#12
                  r"|\w*_\w*|\w+=\w+|\[\w+\]"                      # in_features, bias=False, [class]
                  r"|\b[A-Za-z]+\d\w*|\b\d+[A-Za-z][\w-]*"         # seq2seq, Conv2d, 25x13x13, 1e-3
                  r"|[α-ωΑ-Ω][²³]?[A-Za-z]\w*")                           # ηyx: math written inline
GLOSS = re.compile(r"（[A-Za-z]+(?:[ -][A-Za-z]+)?）")
WORD = re.compile(r"[A-Za-z][A-Za-z-]*[A-Za-z]")
ACRONYM = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$")


def code_words(text: str) -> set[str]:
    return {w for span in MARKED.findall(text) if span.startswith("`") for w in WORD.findall(span)}


def english_words(text: str, also_allowed: set[str] = frozenset()) -> list[str]:
    plain = GLOSS.sub(" ", CODE.sub(" ", MARKED.sub(" ", text)))
    return [w for w in WORD.findall(plain)
            if w not in ALLOWED and w not in also_allowed and not ACRONYM.match(w)]


def problem_zh(problem) -> list[str]:
    texts = [problem.statement.zh, problem.title.zh, *(s.zh for s in problem.steps),
             *(c.zh for c in problem.conventions), *(m.explanation.zh for m in problem.mistakes)]
    for part in problem.parts:
        texts += [part.prompt.zh, *(c.zh for c in part.choices), *(k.zh for k in part.key_points)]
    return texts


def family_zh(fam) -> list[str]:
    from quizgen.sheet import generate_problem

    texts = [fam.title.zh, fam.summary.zh, *(c.zh for c in fam.conventions)]
    for d in fam.difficulties:
        for seed in range(6):
            texts += problem_zh(generate_problem(fam, seed, d))
    return texts


def leftovers(texts: list[str], also_allowed: set[str] = frozenset()) -> dict[str, str]:
    """English word -> the first line it occurs in (shortened)."""
    found: dict[str, str] = {}
    for text in texts:
        for w in english_words(text, also_allowed):
            line = next((ln for ln in text.splitlines() if w in ln), text)
            found.setdefault(w, line.strip()[:120])
    return found


def _families():
    from quizgen.registry import load_families

    marks = {}
    return [pytest.param(name, marks=marks.get(name, ())) for name in load_families()]


@pytest.mark.parametrize("name", _families())
def test_family_zh_has_no_english(name):
    from quizgen.registry import load_families

    assert leftovers(family_zh(load_families()[name])) == {}


def test_bank_zh_has_no_english():
    from quizgen.concept_problems import to_problem
    from quizgen.concepts import load_bank

    texts = [t for item in load_bank(()).items for t in problem_zh(to_problem(item))]
    assert leftovers(texts) == {}


def test_lab_zh_has_no_english():
    from quizgen.labs import load_labs

    texts = []
    for lab in load_labs().values():
        texts += [lab.title.zh, lab.summary.zh]
        for p in lab.predictions():
            texts += [p.prompt.zh, *(c.zh for c in p.choices)]
    assert leftovers(texts) == {}


def test_the_checker_itself_finds_english():
    assert english_words("隐藏层（one row per hidden unit）") == ["one", "row", "per", "hidden", "unit"]
    assert english_words("Trainable parameters：61,706") == ["Trainable", "parameters"]
    assert english_words("空洞率（dilation）$\\max(x)$ `nn.Conv2d(3, 6)` in_features 25x13x13 GRU") == []


def _cli_zh(tmp_path, topic: str) -> tuple[str, set[str]]:
    """The zh output of the commands a student runs on one topic, and the words of its code spans."""
    from quizgen.files import read_sheet

    home = {"QUIZGEN_HOME": str(tmp_path / "home")}
    sheet = tmp_path / "s.json"
    outs = [run_cli("generate", "-t", topic, "-n", "6", "--seed", "11", "-l", "zh", "--solutions", "-o", str(sheet))]
    problems = read_sheet(sheet).problems
    words = {w for p in problems for t in problem_zh(p) for w in code_words(t)}
    shown = json.loads(run_cli("show", str(sheet), "--json", "--lang", "zh").stdout)
    answers = tmp_path / "answers.txt"
    answers.write_text("\n".join(f"{part['id']}: 7" for prob in shown["problems"] for part in prob["parts"]) + "\n",
                       encoding="utf-8")
    outs += [run_cli("show", str(sheet), "--lang", "zh", "--solutions"),
             run_cli("check", str(sheet), str(answers), "--lang", "zh"),
             run_cli("quiz", "--sheet", str(sheet), "-l", "zh", input="7\n?\ns\nq\n", env=home),
             run_cli("stats", "--lang", "zh", env=home)]
    for r in outs:
        assert r.returncode in (0, 1), r.stderr
    from quizgen.registry import topics

    return "\n".join(r.stdout for r in outs), words | set(topics())


def bank_names() -> set[str]:
    from quizgen.concepts import TOPICS, load_bank

    items = load_bank(()).items
    return {i.id for i in items} | set(TOPICS) | {w for i in items for w in WORD.findall(i.source)}


def test_cli_zh_output_has_no_english(tmp_path):
    text, code = _cli_zh(tmp_path, "cnn")
    solve = [run_cli("solve", "net", "lenet5", "--lang", "zh"),
             run_cli("solve", "cnn.params", "--set", "layer=fc", "--set", "in=120", "--set", "out=84", "--lang", "zh"),
             run_cli("bank", "list", "--lang", "zh", "-t", "cnn"),
             run_cli("bank", "show", "cnn-pooling", "--lang", "zh")]
    for r in solve:
        assert r.returncode == 0, r.stderr
    assert leftovers([text, *(r.stdout for r in solve)], code | bank_names()) == {}


LIST_WORDS = {"concept", "items", "item", "id", "topic", "type", "difficulty", "question", "essay", "short",
              "single", "multiple", "truefalse", "matching", "easy", "medium", "hard"}


@pytest.mark.parametrize("columns", ["130", "80", "50"])
def test_bank_list_in_chinese_at_every_width(columns):
    """Headers, types and difficulties in Chinese (the questions are checked above; a narrow
    column may fold an English term inside a question, which this test does not count)."""
    r = run_cli("bank", "list", "--lang", "zh", env={"COLUMNS": columns})
    assert r.returncode == 0 and "个概念题" in r.stdout
    text = r.stdout
    for name in sorted(bank_names(), key=len, reverse=True):
        text = text.replace(name, " ")
    assert set(WORD.findall(text)) & LIST_WORDS == set()


def test_format_errors_in_chinese(tmp_path):
    sheet = tmp_path / "s.json"
    run_cli("generate", "-t", "cnn.params", "-n", "1", "--seed", "1", "-l", "zh", "-o", str(sheet))
    (tmp_path / "a.txt").write_text("1a: ???\n", encoding="utf-8")
    r = run_cli("check", str(sheet), str(tmp_path / "a.txt"))
    assert "格式错误" in r.stdout and leftovers([r.stdout]) == {}


def test_cli_zh_output_of_training_has_no_english(tmp_path):
    text, code = _cli_zh(tmp_path, "training")
    assert leftovers([text], code) == {}


def test_exports_in_chinese_have_no_english(tmp_path):
    from quizgen.files import read_sheet

    sheet = tmp_path / "s.json"
    assert run_cli("generate", "-t", "cnn", "-n", "4", "--seed", "11", "-l", "zh", "-o", str(sheet)).returncode == 0
    md = tmp_path / "s.md"
    assert run_cli("export", str(sheet), "-f", "md", "--answers", "solutions", "-o", str(md)).returncode == 0
    code = {w for p in read_sheet(sheet).problems for t in problem_zh(p) for w in code_words(t)}
    assert leftovers([md.read_text(encoding="utf-8")], code) == {}


def test_every_format_error_of_the_payload_corpus_reads_in_chinese():
    """Each message the parsers raise over the payload corpus (every kind) has a translation."""
    from payloads import SHEET_PROBLEM, corpus
    from quizgen.check import grade_part

    untranslated = set()
    for pid, text, _ in corpus():
        result, _ = grade_part(SHEET_PROBLEM, 1, SHEET_PROBLEM.part(pid), text)
        if result.status == "format":
            zh = re.sub(r"'[^']*'|\"[^\"]*\"", " ", result.feedback.zh)  # the student's own text, quoted back
            if english_words(zh.replace("none", "").replace("all", ""), {"sigma", *WORD.findall(text)}):
                untranslated.add(result.feedback.en)
    assert untranslated == set()
