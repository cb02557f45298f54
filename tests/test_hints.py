"""Every exercise check is a small tutor: each of its branches is reached by a wrong answer built for it, and the test
reads what the hint says (the part it names, the value it quotes), never only its length. Whatever a reader types
gets a sentence, never a traceback or a warning, and an example answer in a hint pastes and runs as it is shown.

The answers are built by hand from the chapter's numbers (e.g. sigmoid(5) ** 99, the mirror image -0.9575 of the
level the loop reaches), so a hint that names the wrong gate or says something false of the value it quotes fails.
"""

import ast
import re

import numpy as np
import pytest
import torch

from lstm_book.exercises import WRONG, Verdict, all_checks, check
from lstm_book.feedforward import SEQUENCE, feedforward, tiny_net
from lstm_lite import sigmoid

CHECKS = all_checks()
F5 = float(sigmoid(5.0))  # the keeping LSTM's forget gate, chapters 4 and 7
FIXED = 0.957504  # the level tanh(2 h) settles at from 0.76 (chapter 3)
YS = feedforward(tiny_net(), SEQUENCE[:, None])[:, 0]  # chapter 2's table
HALF_LIFE_200 = float(np.log(0.5 ** (1 / 200) / (1 - 0.5 ** (1 / 200))))  # the bias of exactly 200 steps


def count(**changes):
    """An answer to lstm-gates-2: the solution with some values changed."""
    return {"input": 1.0, "forget": 1.0, "w": 3.0, "b": 0.0, **changes}


def plate(write=3, show=10, **at):
    """An answer to sushi-train-2: keep everything, write at `write`, show at `show`; then e.g. forget=(6, 0.9)."""
    gates = {"input": np.zeros(11), "forget": np.ones(11), "output": np.zeros(11)}
    gates["input"][write], gates["output"][show] = 1.0, 1.0
    for name, (step, value) in at.items():
        gates[name][step] = value
    return gates


def update(*values):
    """An answer to long-memory-3: the given first values, then 1 to step 9."""
    return np.r_[values, np.ones(10 - len(values))]


# (exercise, answer, ok, words the message must hold, words it must not hold)
BRANCHES = [
    ("refresher-1", -2.0, True, ["x = -2", "to the left"], []),
    ("refresher-1", -2.0004, True, ["x = -2,"], []),
    ("refresher-1", 2.0, False, ["x = 2", "wrong side"], []),
    ("refresher-1", 0.0, False, ["x = 0", "0.8808", "solve 1·x + 2 = 0"], []),
    ("refresher-1", -2.01, False, ["x = -2.01", "0.4975, not 0.5"], ["0.500"]),
    ("refresher-2", float(sigmoid(2.0)), True, ["sigmoid(2) = 0.881"], []),
    ("refresher-2", float(np.tanh(2.0)), False, ["0.964", "tanh"], []),
    ("refresher-2", 0.5, False, ["0.5 is sigmoid(0)"], []),
    ("refresher-2", 2.0, False, ["cannot be at 2", "between 0 and 1"], []),
    ("refresher-2", 0.7, False, ["0.7 is not it"], []),
    ("refresher-3", float(np.log(9)), True, ["2.197", "9.000 of the 10"], []),
    ("refresher-3", 0.9, False, ["z = 0.9", "fraction you want out"], []),
    ("refresher-3", 9.0, False, ["z = 9", "9 is what you want out"], []),
    ("refresher-3", -float(np.log(9)), False, ["z = -2.197", "sign is flipped", "10% through"], []),
    ("refresher-3", 1.0, False, ["z = 1", "7.311", "larger"], []),
    ("refresher-3", 3.0, False, ["z = 3", "9.526", "smaller"], []),
    ("feedforward-1", [2, 5], True, ["trade outputs"], []),
    ("feedforward-1", {5, 2}, True, ["trade outputs"], []),
    ("feedforward-1", [2, 3, 4, 5], False, ["[3, 4] do not change", "one input at a time"], []),
    ("feedforward-1", [2], False, ["missed position(s) [5]"], []),
    ("feedforward-1", [2, 5, 100], False, ["from 0 to 7", "got 100"], ["do not change"]),
    ("feedforward-1", "two and five", False, ["whole numbers", "'two and five'"], []),
    ("feedforward-1", {2.5}, False, ["whole numbers", "{2.5}"], []),
    ("feedforward-2", float(YS[1]), True, ["B's: -0.106"], []),
    ("feedforward-2", 0.5, False, ["0.5 is the last input"], []),
    ("feedforward-2", float(YS[-1]), False, ["-0.6101", "last step of the first sequence", "1.5"], []),
    ("feedforward-2", 1.0, False, ["1 is not the output"], []),
    ("feedforward-3", list(range(2, 8)), True, ["carries what came before"], []),
    ("feedforward-3", [2, 5], False, ["missed position(s) [3, 4, 6, 7]", "travels forward"], []),
    ("feedforward-3", list(range(8)), False, ["[0, 1] do not change", "before the first swap"], []),
    ("rnn-1", 0.5, True, ["w = 0.5", "halves"], []),
    ("rnn-1", 0.503, True, ["w = 0.5:"], ["0.503"]),
    ("rnn-1", -0.5, False, ["w = -0.5", "flips the sign"], []),
    ("rnn-1", 1.0, False, ["w = 1 ", "keeps its size", "1 · h = h"], ["shrinks", "grows", "factor 1"]),
    ("rnn-1", -1.0, False, ["w = -1 ", "keeps its size and flips its sign"], ["shrinks", "grows"]),
    ("rnn-1", 0.0, False, ["w = 0 ", "wiped"], ["shrinks by"]),
    ("rnn-1", 2.0, False, ["w = 2 ", "grows", "by 2"], ["flips"]),
    ("rnn-1", -3.0, False, ["w = -3 ", "grows and flips its sign", "by 3"], []),
    ("rnn-1", 0.25, False, ["w = 0.25 ", "shrinks", "by 0.25, not by 1/2"], ["flips"]),
    ("rnn-1", -0.25, False, ["w = -0.25 ", "shrinks and flips its sign", "by 0.25"], []),
    ("rnn-2", FIXED, True, ["settles at h = 0.9575"], []),
    ("rnn-2", 1.0, False, ["cannot reach 1", "between -1 and 1"], []),
    ("rnn-2", -1.5, False, ["cannot reach -1.5"], []),
    ("rnn-2", -FIXED, False, ["-0.9575 is a resting point", "mirror image", "keeps its sign"], ["a different number"]),
    ("rnn-2", 0.0, False, ["0 is a resting point", "unstable"], ["a different number"]),
    ("rnn-2", 0.5, False, ["at h = 0.5", "tanh(2 h) = 0.7616, a different number"], ["keeps its sign"]),
    ("rnn-2", -0.3, False, ["at h = -0.3", "starts at +0.76", "keeps its sign"], []),
    ("unrolled-rnn-1", 10, True, ["T = 10", "8.1e-04"], []),
    ("unrolled-rnn-1", 11, False, ["T = 11", "the bound", "falls faster"], []),
    ("unrolled-rnn-1", 9, False, ["T = 9 is too early", "1.7e-03"], []),
    ("unrolled-rnn-1", 12, False, ["T = 12 is too late", "1.6e-04"], []),
    ("unrolled-rnn-1", 10.5, False, ["whole number between 1 and 100", "10.5 came"], []),
    ("unrolled-rnn-1", 101, False, ["between 1 and 100", "101 came"], []),
    ("unrolled-rnn-2", 45, True, ["0.9^44 = 0.0097"], []),
    ("unrolled-rnn-2", 44, False, ["T = 44", "0.9^43 = 0.01078", "still above", "only 43 times"], []),
    ("unrolled-rnn-2", 43, False, ["T = 43", "0.9^42 = 0.01197", "still above"], ["Careful"]),
    ("unrolled-rnn-2", 46, False, ["T = 46", "0.9^45 = 0.008728", "not for the first time", "0.9^44 = 0.009698"], []),
    ("unrolled-rnn-2", -7000, False, ["whole number of at least 1", "-7000 came"], []),
    ("unrolled-rnn-2", 45.5, False, ["45.5 came"], []),
    ("unrolled-rnn-2", 1e308, False, ["T = 1e+308", "less than 1e-300", "not for the first time"], []),
    ("unrolled-rnn-3", F5 ** 99, True, ["0.9933^99 = 0.514"], ["Close enough"]),
    ("unrolled-rnn-3", 0.52, True, ["0.9933^99 = 0.514"], []),
    ("unrolled-rnn-3", F5 ** 100, True, ["Close enough", "0.9933^100 = 0.511", "99 times"], []),
    ("unrolled-rnn-3", F5 ** 98, True, ["Close enough", "0.9933^98 = 0.518"], []),
    ("unrolled-rnn-3", 0.34, False, ["0.34 is the measured curve", "belt alone"], []),
    ("unrolled-rnn-3", 2.0, False, ["between 0 and 1", "2 came"], []),
    ("unrolled-rnn-3", 0.9, False, ["0.9 is not it", "99 times"], []),
    ("lstm-gates-1", 0.8, True, ["c stays at 0.80"], []),
    ("lstm-gates-1", 0.0, False, ["input gate at 0 blocks"], []),
    ("lstm-gates-1", 0.5, False, ["0.5 is not it"], []),
    ("lstm-gates-2", count(), True, ["forget = 1", "input = 1", "a 1 adds 0.995"], []),
    ("lstm-gates-2", count(forget=0.999), True, ["forget = 0.999"], []),
    ("lstm-gates-2", count(forget=0.9), False, ["forget = 0.9", "loses 10%"], ["input =", "candidate"]),
    ("lstm-gates-2", count(forget=0.0), False, ["forget = 0", "loses all"], ["input ="]),
    ("lstm-gates-2", count(input=0.5), False, ["input = 0.5", "50% of each candidate", "adds input · tanh(w + b) = 0.498"],
     ["forget ="]),
    ("lstm-gates-2", {"forget": 1.0, "w": 3.0, "b": 0.0, "input": 0.5}, False, ["input = 0.5"], ["forget ="]),
    ("lstm-gates-2", count(input=0.0), False, ["input = 0", "nothing is written"], ["forget ="]),
    ("lstm-gates-2", count(b=0.5), False, ["tanh(b) = 0.462", "Which bias"], []),
    ("lstm-gates-2", count(w=1.0), False, ["tanh(w + b) = 0.762 instead of 1", "Which w"], []),
    ("lstm-gates-2", count(forget=2.0), False, ["between 0 and 1", "forget = 2 came"], ["input"]),
    ("lstm-gates-2", count(input=-0.5), False, ["between 0 and 1", "input = -0.5 came"], ["forget"]),
    ("lstm-gates-2", count(w=1e308, b=0.0), True, ["a 1 adds 1"], []),
    ("lstm-gates-2", {"input": 1.0, "forget": 1.0, "w": 3.0}, False, ['missing `"b"`'], []),
    ("lstm-gates-2", count(output=1.0), False, ['`"output"` is not one of them'], []),
    ("lstm-gates-2", count(input="x"), False, ['for `"input"`', "str `'x'`"], []),
    ("lstm-gates-2", 0.5, False, ["expected a dict", "float `0.5`"], []),
    ("sushi-train-1", 0.5 ** (1 / 20), True, ["f = 0.9659", "20.0 steps"], []),
    ("sushi-train-1", 0.95, False, ["f = 0.95", "13.5 steps"], []),
    ("sushi-train-1", 1.0, False, ["strictly between 0 and 1", "1 came"], []),
    ("sushi-train-1", 1e-300, False, ["f = 1e-300", "0.001003 steps"], []),
    ("sushi-train-2", plate(), True, ["h = tanh(0.834) = 0.682"], []),
    ("sushi-train-2", plate(input=(3, 0.5)), False, ["step 3", "input gate is 0.5", "0.417 of the plate"], []),
    ("sushi-train-2", plate(write=4), False, ["step 3", "input gate is 0", "none of the plate"], []),
    ("sushi-train-2", plate(input=(1, 1.0)), False, ["still carries -0.716", "forget 1 at step 3"], []),
    ("sushi-train-2", plate(forget=(6, 0.9)), False, ["holds 0.7503", "at step 6 the forget gate is 0.9", "forget 1"], []),
    ("sushi-train-2", plate(forget=(6, 0.999999)), False, ["holds 0.833654", "(0.833655)", "0.999999"], []),
    ("sushi-train-2", plate(input=(7, 0.3)), False, ["at step 7 the input gate is 0.3", "writes -0.262"], []),
    ("sushi-train-2", plate(output=(5, 1.0)), False, ["step 5", "output gate is 1 there", "h = 0.682"], []),
    ("sushi-train-2", plate(output=(10, 0.5)), False, ["output gate is 0.5", "h = 0.341", "output gate fully"], []),
    ("sushi-train-2", plate(forget=(3, 2.0)), False, ["between 0 and 1", "forget at step 3 = 2 came"], []),
    ("sushi-train-2", {"input": 0, "forget": 1, "output": 0}, False, ['for `"input"`', "shape (11,)", "one number"], []),
    ("sushi-train-2", {"input": np.zeros(11)}, False, ['missing `"forget"`, `"output"`'], []),
    ("sushi-train-3", 0.5 / np.tanh(1.0), True, ["o = 0.657", "= 0.500"], []),
    ("sushi-train-3", 0.5, False, ["o · tanh(c)", "0.381"], []),
    ("sushi-train-3", 0.5 * np.tanh(1.0), False, ["o = 0.381", "divide"], []),
    ("sushi-train-3", 1.0, False, ["o = 1.000", "0.762, not 0.5"], []),
    ("sushi-train-3", 2.0, False, ["between 0 and 1", "2 came"], []),
    ("long-memory-1", F5 ** 200, True, ["0.261"], []),
    ("long-memory-1", torch.sigmoid(torch.tensor(5.0, dtype=torch.float64, requires_grad=True)) ** 200, True, ["0.261"], []),
    ("long-memory-1", 0.5, False, ["0.5 is not it", "`f ** 200`"], []),
    ("long-memory-1", 1e-7, False, ["1e-07 is next to nothing", "6.2e-61", "0.9933"], []),
    ("long-memory-1", 2.0, False, ["between 0 and 1", "2 came"], []),
    ("long-memory-2", HALF_LIFE_200, True, ["A bias of 5.6631 ", "200 steps"], ["5.663096918706447"]),
    ("long-memory-2", 6.0, True, ["A bias of 6 ", "280 steps"], []),
    ("long-memory-2", 4.0, False, ["A bias of 4 ", "38.19 steps, short of 200", "b = ln(f / (1 - f))"], []),
    ("long-memory-2", 5.663, False, ["A bias of 5.663 ", "199.98 steps", "round up"], ["200.0"]),
    ("long-memory-2", 0.9965, False, ["0.9965 looks like the forget gate"], []),
    ("long-memory-2", 11.0, False, ["A bias of 11 works", "41502 steps", "far more than needed"], []),
    ("long-memory-2", 40.0, False, ["A bias of 40 works", "float's precision", "forever"], []),
    ("long-memory-2", -7000.0, False, ["A bias of -7000 ", "f = 0 ", "half-life of 0 steps"], []),
    ("long-memory-3", update(0.0), True, ["replaces the state"], []),
    ("long-memory-3", update(1.0, *[0.0] * 9), False, ["swapped", "update 1 keeps"], []),
    ("long-memory-3", update(0.5), False, ["At step 0 the update gate is 0.5", "keeps 0.5 of the old one"], []),
    ("long-memory-3", np.r_[0.0, np.full(9, 0.99)], False, ["at step 1 the update gate is 0.99", "takes in 0.01"], []),
    ("long-memory-3", np.r_[0.0, np.zeros(9)], False, ["at step 1 the update gate is 0", "takes in all"], []),
    ("long-memory-3", update(*[0.0] + [1.0] * 8 + [0.999999]), False, ["-0.274492", "-0.274493", "step 9"], []),
    ("long-memory-3", np.full(10, 2.0), False, ["between 0 and 1", "update at step 0 = 2 came"], []),
    ("long-memory-3", np.ones(3), False, ["shape (10,)", "not shape (3,)"], []),
    ("long-memory-3", 0.5, False, ["shape (10,)", "not one number"], []),
    ("reading-code-1", 2.0, True, ["Two bits", "6.58"], []),
    ("reading-code-1", float(np.log2(96)), False, ["fair guess among all 96"], []),
    ("reading-code-1", -2.0, False, ["sign is flipped"], []),
    ("reading-code-1", 0.25, False, ["1/4 is the probability"], []),
    ("reading-code-1", 4.0, False, ["4 bits is not it"], []),
    ("reading-code-2", {"forget": 0.0}, True, ["forget gate at 0"], []),
    ("reading-code-2", {"input": 0.0}, False, ["input gate at 0 blocks every write"], []),
    ("reading-code-2", {"output": 1.0}, False, ["output gate decides what h shows"], []),
    ("reading-code-2", {"forget": 0.5}, False, ["forget gate at 0.5", "keeps 0.5 of c_prev"], []),
    ("reading-code-2", {"input": 1.0}, False, ["input gate at 1", "whatever the input gate"], ["c_prev (or nothing"]),
    ("reading-code-2", {"forget": 2.0}, False, ["between 0 and 1", "forget = 2 came"], []),
    ("reading-code-2", {"cell": 0.0}, False, ["one of the gates", "`'cell'`"], []),
    ("reading-code-2", {"forget": 0.0, "input": 1.0}, False, ["one gate", 'a dict with 2 keys, `"forget"`, `"input"`'], []),
    ("reading-code-2", {"forget": "0"}, False, ['for `"forget"`', "str `'0'`"], []),
    ("reading-code-2", "forget", False, ["one gate", "str `'forget'`"], []),
]


def _id(case):
    name, answer = case[0], case[1]
    text = repr(answer) if not isinstance(answer, (np.ndarray, torch.Tensor, dict)) else type(answer).__name__
    return f"{name}-{text[:30]}"


@pytest.mark.parametrize("name, answer, ok, words, absent", BRANCHES, ids=[_id(c) for c in BRANCHES])
def test_each_branch_says_what_is_wrong_and_what_came(name, answer, ok, words, absent):
    verdict = check(name, answer)
    assert verdict.ok is ok, verdict.message
    for word in words:
        assert word in verdict.message, f"{word!r} not in: {verdict.message}"
    for word in absent:
        assert word not in verdict.message, f"{word!r} in: {verdict.message}"


def test_every_check_has_a_right_and_a_wrong_answer_above():
    for name in CHECKS:
        oks = {ok for n, _, ok, _, _ in BRANCHES if n == name}
        assert oks == {True, False}, f"{name}: BRANCHES needs a right and a wrong answer"


# What a reader may type instead of an answer: the label, the answer, and what a refusal must quote of it.
HOSTILE = [
    ("2.0", 2.0, None), ("-7000", -7000, None), ("1e308", 1e308, None), ("-1e308", -1e308, None),
    ("tiny", 1e-320, None), ("nan", float("nan"), "nan"), ("inf", float("inf"), "inf"), ("None", None, "None"),
    ("text", "abc", "'abc'"), ("set", {1, 2}, "{1, 2}"), ("ragged", [[1], [2, 3]], "[[1], [2, 3]]"),
    ("True", True, "bool"), ("empty dict", {}, None), ("empty list", [], None), ("complex", 1 + 2j, "(1+2j)"),
    ("bytes", b"1", "b'1'"), ("object", object(), "object"), ("huge int", 10**400, "int"),
    ("tensor", torch.tensor(0.5, requires_grad=True), None),
    ("tensors", [torch.tensor(0.5, requires_grad=True)] * 2, "tensor"),
    ("tensor 10", torch.zeros(10, requires_grad=True), None), ("tensor 11", torch.ones(11, requires_grad=True), None),
    ("array 10 of 2", np.full(10, 2.0), None), ("array 11 of 2", np.full(11, 2.0), None),
    ("array 11 of -7000", np.full(11, -7000.0), None), ("array 11 of 1e308", np.full(11, 1e308), None),
]
REFUSED = {"nan", "inf", "None", "text", "ragged", "True", "complex", "bytes", "object", "huge int", "tensors"}


def _hostile_cases():
    for name in sorted(CHECKS):
        for label, answer, quoted in HOSTILE:
            yield name, label, answer, quoted
            if isinstance(WRONG[name], dict):  # the bad value inside every key, a key missing, a key too many
                yield name, f"dict of {label}", dict.fromkeys(WRONG[name], answer), quoted
        if isinstance(WRONG[name], dict) and len(WRONG[name]) > 1:
            first, *rest = WRONG[name]
            yield name, "a key missing", {k: WRONG[name][k] for k in rest}, f'"{first}"'
        if isinstance(WRONG[name], dict):
            yield name, "a key too many", {**WRONG[name], "extra": 1.0}, '"extra"'


@pytest.mark.filterwarnings("error")  # a RuntimeWarning from numpy is noise in the reader's notebook
@pytest.mark.parametrize("name, label, answer, quoted", list(_hostile_cases()),
                         ids=[f"{n}-{lab}" for n, lab, _, _ in _hostile_cases()])
def test_whatever_a_reader_types_gets_a_sentence(name, label, answer, quoted):
    verdict = check(name, answer)  # no exception of any kind
    assert isinstance(verdict, Verdict) and verdict.message.endswith((".", "?", ")")), verdict.message
    refused = verdict.message.startswith(("Your answer does not fit", "Replace `None`"))
    if label.removeprefix("dict of ") in REFUSED:
        assert not verdict.ok and refused, verdict.message
    if refused and quoted:  # a refusal says what came
        assert quoted in verdict.message, verdict.message
    if label == "tensor" and not check(name, 0.5).message.startswith("Your answer"):  # where a number is an answer,
        assert verdict == check(name, 0.5), verdict.message  # a tensor that requires grad is a number like any other


def _messages():
    """(exercise, message) for every message the tests above see."""
    for name, answer, *_ in BRANCHES:
        yield name, check(name, answer).message
    for name, _, answer, _ in _hostile_cases():
        yield name, check(name, answer).message


EXAMPLE = re.compile(r"(?:for example|such as|e\.g\.),? `([^`]+)`")


def test_example_answers_in_hints_paste_and_run():
    examples = {(name, m) for name, message in _messages() for m in EXAMPLE.findall(message)}
    assert {name for name, _ in examples} >= {"lstm-gates-2", "reading-code-2", "feedforward-1"}
    for name, text in examples:
        answer = ast.literal_eval(text)  # as pasted from the notebook
        verdict = check(name, answer)
        # an example shows the form of an answer, so it gets a verdict on its content, not a refusal of its form
        assert not verdict.message.startswith("Your answer does not fit"), (name, text, verdict.message)


def test_hints_show_code_as_code_and_no_curly_quotes():
    for name, message in _messages():
        assert message.count("`") % 2 == 0, message  # every code span closed
        assert not re.search("[\u2018\u2019\u201c\u201d]", message), message
        prose = re.sub(r"``.*?``|`[^`]*`", "", message)
        assert not re.search(r"[{\[]['\"]", prose), f"{name}: a dict or list outside a code span: {message}"
        assert "**" not in prose, f"{name}: Python's ** outside a code span reads as bold in Markdown: {message}"


def test_a_verdict_reads_right_as_text_and_as_markdown():
    right, wrong = check("lstm-gates-2", {"input": 1.0, "forget": 1.0, "w": 3.0, "b": 0.0}), check("lstm-gates-2", 0.5)
    assert repr(right).startswith("Right! After each") and right._repr_markdown_().startswith("**Right!** After")
    assert repr(wrong).startswith("Not yet. Your answer") and wrong._repr_markdown_().startswith("**Not yet.** Your")
    assert '`{"input": 0.5, "forget": 0.5, "w": 1.0, "b": 0.0}`' in wrong._repr_markdown_()
