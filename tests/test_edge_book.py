"""The public edge of the book's helpers: every function a chapter calls on its page or in a live cell, given what a
reader might type.

Each case asserts either the error (its type, and a message that names the argument and quotes what came) or the
right value, checked by value (a formula, a property, or the longer run it is the start of); never only "no
exception". One test function per family: sizes and steps, ranges and indices, names and choices, text and words,
numbers, seeds, half-lives, short sequences, chapter 8's data.
"""

import warnings

import numpy as np
import pytest

from lstm_book.feedforward import NOMEMORY, SEQUENCE, loop_outputs, nomemory_compute, tiny_net
from lstm_book.long_memory import first_symbol_batch, make_model, train_until_solved
from lstm_book.lstm_gates import (
    COUNTRY_SENTENCE,
    counting_sequence,
    country_cell,
    country_compute,
    country_draw,
    gate_demo_cell,
    gate_demo_inputs,
    spoken_language,
    walk_values,
)
from lstm_book.reading_code import (
    cells_compute,
    encode,
    forced_brackets,
    gates_at,
    load_model,
    read,
    reading_compute,
    sample,
    snippet,
    study,
    text_features,
)
from lstm_book.refresher import gate_compute, squash_compute
from lstm_book.rnn import (
    SCALAR_RNN,
    demo_inputs,
    echo_compute,
    rnn_states_compute,
    scalar_rnn_compute,
    tanh_fixed_point,
)
from lstm_book.sushi_train import (
    BELT_DISHES,
    HALF_LIFE,
    belt_cell,
    belt_compute,
    belt_draw,
    belt_events,
    belt_gates,
    first_value_compute,
    half_life,
    half_life_alt,
    half_life_compute,
)
from lstm_book.unrolled_rnn import (
    chapter_inputs,
    first_input_influence,
    influence_compute,
    keeping_lstm,
    scaled_rnn,
    unrolled_compute,
)

NAN = float("nan")


def raises(kind, pattern, call):
    """Assert that call() raises `kind` with a message matching `pattern` (which names the argument and what came).
    A chapter 8 case is call(s), given what the chapter measures (`study()`, computed once)."""
    with pytest.raises(kind, match=pattern):
        call(study()) if call.__code__.co_argcount else call()


def _cases(*rows):
    """pytest params from (id, exception, pattern, call) rows."""
    return [pytest.param(kind, pattern, call, id=name) for name, kind, pattern, call in rows]


# -- sizes and steps ------------------------------------------------------------------------------------------

SIZES = _cases(
    ("scalar_rnn steps=0", ValueError, r"steps must be a positive int, got 0", lambda: scalar_rnn_compute(steps=0)),
    ("scalar_rnn steps=2.5", TypeError, r"steps must be a positive int, got 2\.5 of type float",
     lambda: scalar_rnn_compute(steps=2.5)),
    ("scalar_rnn steps=-1", ValueError, r"steps must be a positive int, got -1", lambda: scalar_rnn_compute(steps=-1)),
    ("scalar_rnn steps=True", TypeError, r"steps must be a positive int, got True of type bool",
     lambda: scalar_rnn_compute(steps=True)),
    ("scalar_rnn steps=None", TypeError, r"steps must be a positive int, got None", lambda: scalar_rnn_compute(steps=None)),
    ("scalar_rnn steps='20'", TypeError, r"steps must be a positive int, got '20' of type str",
     lambda: scalar_rnn_compute(steps="20")),
    ("scalar_rnn alt steps=0", ValueError, r"steps must be a positive int, got 0", lambda: SCALAR_RNN.text(steps=0)),
    ("tanh_fixed_point steps=-1", ValueError, r"steps must be an int of at least 0, got -1",
     lambda: tanh_fixed_point(1.5, steps=-1)),
    ("tanh_fixed_point steps=2.5", TypeError, r"steps must be an int of at least 0, got 2\.5",
     lambda: tanh_fixed_point(1.5, steps=2.5)),
    ("demo_inputs 0", ValueError, r"steps must be a positive int, got 0", lambda: demo_inputs(0)),
    ("demo_inputs 2.5", TypeError, r"steps must be a positive int, got 2\.5", lambda: demo_inputs(2.5)),
    ("rnn_states steps=0", ValueError, r"steps must be a positive int, got 0", lambda: rnn_states_compute(steps=0)),
    ("echo steps=0", ValueError, r"steps must be a positive int, got 0", lambda: echo_compute(steps=0)),
    ("unrolled steps=0", ValueError, r"steps must be a positive int, got 0", lambda: unrolled_compute(steps=0)),
    ("unrolled steps=2.5", TypeError, r"steps must be a positive int, got 2\.5", lambda: unrolled_compute(steps=2.5)),
    ("unrolled steps=None", TypeError, r"steps must be a positive int, got None", lambda: unrolled_compute(steps=None)),
    ("unrolled steps=0 scale", ValueError, r"steps must be a positive int, got 0",
     lambda: unrolled_compute(steps=0, scale=1.0)),
    ("unrolled steps=-1 scale", ValueError, r"steps must be a positive int, got -1",
     lambda: unrolled_compute(steps=-1, scale=1.0)),
    ("chapter_inputs 0", ValueError, r"steps must be a positive int, got 0", lambda: chapter_inputs(0)),
    ("influence_compute steps=0", ValueError, r"steps must be a positive int, got 0",
     lambda: influence_compute(steps=0)),
    ("gate_demo_inputs 0", ValueError, r"steps must be a positive int, got 0", lambda: gate_demo_inputs(0)),
    ("gate_demo_inputs 2.5", TypeError, r"steps must be a positive int, got 2\.5", lambda: gate_demo_inputs(2.5)),
    ("counting_sequence 0", ValueError, r"steps must be a positive int, got 0", lambda: counting_sequence(0)),
    ("belt_gates 0", ValueError, r"steps must be a positive int, got 0", lambda: belt_gates(0)),
    ("belt_gates 2.5", TypeError, r"steps must be a positive int, got 2\.5", lambda: belt_gates(2.5)),
    ("first_value steps=0", ValueError, r"steps must be a positive int, got 0", lambda: first_value_compute(steps=0)),
    ("first_value steps=2.5", TypeError, r"steps must be a positive int, got 2\.5",
     lambda: first_value_compute(steps=2.5)),
    ("first_value hidden=0", ValueError, r"hidden must be a positive int, got 0",
     lambda: first_value_compute(steps=5, hidden=0)),
    ("first_value hidden=2.5", TypeError, r"hidden must be a positive int, got 2\.5",
     lambda: first_value_compute(steps=5, hidden=2.5)),
    ("half_life_compute steps=0", ValueError, r"steps must be a positive int, got 0",
     lambda: half_life_compute(0.9, steps=0)),
    ("half_life_compute steps=2.5", TypeError, r"steps must be a positive int, got 2\.5",
     lambda: half_life_compute(0.9, steps=2.5)),
    ("first_symbol_batch T=0", ValueError, r"T must be a positive int, got 0",
     lambda: first_symbol_batch(0, 3, np.random.default_rng(0))),
    ("first_symbol_batch T=2.5", TypeError, r"T must be a positive int, got 2\.5",
     lambda: first_symbol_batch(2.5, 3, np.random.default_rng(0))),
    ("first_symbol_batch batch=0", ValueError, r"batch must be a positive int, got 0",
     lambda: first_symbol_batch(5, 0, np.random.default_rng(0))),
    ("train_until_solved T=0", ValueError, r"T must be a positive int, got 0", lambda: train_until_solved("lstm", 0, 0)),
    ("train_until_solved batch=0", ValueError, r"batch must be a positive int, got 0",
     lambda: train_until_solved("lstm", 10, 0, batch=0)),
)


@pytest.mark.parametrize("kind, pattern, call", SIZES)
def test_sizes_and_steps(kind, pattern, call):
    raises(kind, pattern, call)


# -- ranges and indices ---------------------------------------------------------------------------------------

def _belt():
    return belt_compute()


RANGES = _cases(
    ("walk_values unit=3", ValueError, r"unit must be an int from 0 to 2 .*got 3", lambda: walk_values(unit=3)),
    ("walk_values unit=-1", ValueError, r"unit must be an int from 0 to 2 .*got -1", lambda: walk_values(unit=-1)),
    ("walk_values unit=1.0", TypeError, r"unit must be an int from 0 to 2 .*got 1\.0 of type float",
     lambda: walk_values(unit=1.0)),
    ("walk_values unit=True", TypeError, r"unit must be an int .*got True of type bool", lambda: walk_values(unit=True)),
    ("walk_values x of 2", ValueError, r"x must have shape \(1,\) .*got shape \(2,\)", lambda: walk_values(x=[0.5, 0.5])),
    ("walk_values c_prev of 2", ValueError, r"c_prev must have shape \(3,\) .*got shape \(2,\)",
     lambda: walk_values(c_prev=[1.0, 2.0])),
    ("walk_values cell=3", TypeError, r"cell must be an lstm_lite LSTMCell, got int", lambda: walk_values(cell=3)),
    ("belt_events t=14", ValueError, r"t must be an int from 0 to 13 .*got 14", lambda: belt_events(_belt(), 14)),
    ("belt_events t=-1", ValueError, r"t must be an int from 0 to 13 .*got -1", lambda: belt_events(_belt(), -1)),
    ("belt_events t=2.5", TypeError, r"t must be an int from 0 to 13 .*got 2\.5 of type float",
     lambda: belt_events(_belt(), 2.5)),
    ("belt_events t=None", TypeError, r"t must be an int .*got None", lambda: belt_events(_belt(), None)),
    ("belt_events trace=None", TypeError, r"trace must be the LSTMTrace .*got NoneType", lambda: belt_events(None, 0)),
    ("belt_draw t=14", ValueError, r"t must be an int from 0 to 13 .*got 14", lambda: belt_draw(_belt(), 14)),
    ("half_life_compute forget=1.5", ValueError, r"forget must be a number in \[0, 1\], got 1\.5",
     lambda: half_life_compute(1.5)),
    ("half_life_compute forget=-0.2", ValueError, r"forget must be a number in \[0, 1\], got -0\.2",
     lambda: half_life_compute(-0.2)),
    ("first_value keep=1.2", ValueError, r"keep must be a number in \[0, 1\], got 1\.2",
     lambda: first_value_compute(steps=5, keep=1.2)),
    ("spoken_language tol=-1", ValueError, r"tol must be a number of at least 0, got -1",
     lambda: spoken_language(country_compute(), tol=-1)),
    ("belt_events tol=-1", ValueError, r"tol must be a number of at least 0, got -1",
     lambda: belt_events(_belt(), 0, tol=-1)),
    ("train_until_solved target=2", ValueError, r"target must be a number in \[0, 1\], got 2",
     lambda: train_until_solved("lstm", 10, 0, target=2)),
)


@pytest.mark.parametrize("kind, pattern, call", RANGES)
def test_ranges_and_indices(kind, pattern, call):
    raises(kind, pattern, call)


# -- names and choices ----------------------------------------------------------------------------------------

NAMES = _cases(
    ("make_model kind", ValueError, r"kind must be one of 'rnn', 'lstm', 'lstm-biased', 'gru', got 'lstmm'",
     lambda: make_model("lstmm", 8, 16, 4, 0)),
    ("make_model kind=None", ValueError, r"kind must be one of .*got None", lambda: make_model(None, 8, 16, 4, 0)),
    ("train_until_solved kind", ValueError, r"kind must be one of .*got 'transformer'",
     lambda: train_until_solved("transformer", 10, 0)),
    ("load_model int32", ValueError, r"dtype must be np\.float32 or np\.float64, got int32",
     lambda: load_model(dtype=np.int32)),
    ("load_model float16", ValueError, r"dtype must be np\.float32 or np\.float64, got float16",
     lambda: load_model(dtype="float16")),
    ("load_model complex", ValueError, r"dtype must be np\.float32 or np\.float64, got complex128",
     lambda: load_model(dtype=np.complex128)),
    ("load_model 'banana'", TypeError, r"dtype must be np\.float32 or np\.float64, got 'banana' of type str",
     lambda: load_model(dtype="banana")),
    ("load_model None", TypeError, r"dtype must be np\.float32 or np\.float64, got None", lambda: load_model(dtype=None)),
    ("snippet unknown", ValueError, r"name must be one of 'a call', 'a docstring', 'nested blocks', got 'a loop'",
     lambda: snippet("a loop")),
    ("belt_compute gate name", ValueError, r"gates must be a dict whose keys are among .*got the keys \['forgot'\]",
     lambda: belt_compute(gates={"forgot": 1.0})),
    ("belt_compute gates list", TypeError, r"gates must be a dict of gates by name .*got \[1\] of type list",
     lambda: belt_compute(gates=[1])),
    ("nomemory memory='no'", TypeError, r"memory must be True or False, got 'no' of type str",
     lambda: nomemory_compute(memory="no")),
    ("influence_compute lstm='no'", TypeError, r"lstm must be True or False, got 'no'",
     lambda: influence_compute(scales=(), steps=2, lstm="no")),
)

NAMES_8 = _cases(
    ("cells_compute code", ValueError, r"code must be one of 'a call', .*got 'a loop'",
     lambda s: cells_compute("brackets", "a loop", s)),
    ("cells_compute code=None", ValueError, r"code must be one of .*got None", lambda s: cells_compute("brackets", None, s)),
    ("cells_compute choice", ValueError, r"choice must be one of .*got 'nope'", lambda s: cells_compute("nope", "a call", s)),
    ("cells_compute choice=3", TypeError, r"choice must be one of .*got 3 of type int",
     lambda s: cells_compute(3, "a call", s)),
    ("reading_compute choice", ValueError, r"choice must be one of .*got 'weird'",
     lambda s: reading_compute("x", choice="weird", s=s)),
    ("reading_compute gate", ValueError, r"gate must be one of 'forget', 'input', 'output', got 'candidate'",
     lambda s: reading_compute("x", hold=True, gate="candidate", s=s)),
    ("reading_compute hold='yes'", TypeError, r"hold must be True or False, got 'yes'",
     lambda s: reading_compute("x", hold="yes", s=s)),
    ("forced_brackets gate", ValueError, r"gate must be one of 'forget', 'input', 'output', got 'shape'",
     lambda s: forced_brackets(s, gate="shape")),
)


@pytest.fixture(scope="module")
def s():
    return study()


@pytest.mark.parametrize("kind, pattern, call", NAMES + NAMES_8)
def test_names_and_choices(kind, pattern, call):
    raises(kind, pattern, call)



# -- text and words -------------------------------------------------------------------------------------------

WORDS = _cases(
    ("spoken_language too few words", ValueError, r"words must hold one word per step of the trace \(19\), got 5 words",
     lambda: spoken_language(country_compute(), COUNTRY_SENTENCE[:5])),
    ("spoken_language words str", TypeError, r"words must be a list or tuple of words .*got 'I speak French' of type str",
     lambda: spoken_language(country_compute(), "I speak French")),
    ("spoken_language trace=None", TypeError, r"trace must be the trace of country_compute .*got NoneType",
     lambda: spoken_language(None)),
    ("country_compute words=()", ValueError, r"words must hold at least one word, got \(\)",
     lambda: country_compute(words=())),
    ("country_compute words str", TypeError, r"words must be a list or tuple of words .*got 'France' of type str",
     lambda: country_compute(words="France")),
    ("country_compute words ints", TypeError, r"words must be a list or tuple of words .*got \[1, 2\]",
     lambda: country_compute(words=[1, 2])),
    ("country_draw too few words", ValueError, r"words must hold one word per step of the trace \(19\), got 3 words",
     lambda: country_draw(country_compute(), COUNTRY_SENTENCE[:3])),
)

TEXT_8 = _cases(
    ("encode text int", TypeError, r"text must be a str, got 123 of type int", lambda s: encode(123, s["vocab"])),
    ("encode text list", TypeError, r"text must be a str, got \['a'\] of type list", lambda s: encode(["a"], s["vocab"])),
    ("encode vocab list", TypeError, r"vocab must be the model's vocabulary.*got list", lambda s: encode("abc", list("abc"))),
    ("encode unknown character", ValueError, r"the model knows only the 96 characters of its corpus; got \['é'\]",
     lambda s: encode("café", s["vocab"])),
    ("read empty text", ValueError, r"text must hold at least one character, got ''",
     lambda s: read(s["model"], "", s["vocab"])),
    ("read text None", TypeError, r"text must be a str, got None", lambda s: read(s["model"], None, s["vocab"])),
    ("sample empty prompt", ValueError, r"prompt must hold at least one character, got ''",
     lambda s: sample(s["model"], s["vocab"], "", 5, 1.0)),
    ("sample prompt int", TypeError, r"prompt must be a str, got 5 of type int",
     lambda s: sample(s["model"], s["vocab"], 5, 5, 1.0)),
    ("reading_compute code int", TypeError, r"code must be a str, got 123 of type int",
     lambda s: reading_compute(123, s=s)),
    ("text_features bytes", TypeError, r"text must be a str, got bytes", lambda s: text_features(b"x = 1")),
)


@pytest.mark.parametrize("kind, pattern, call", WORDS + TEXT_8)
def test_words(kind, pattern, call):
    raises(kind, pattern, call)



# -- numbers: NaN, inf, strings, bools, None ------------------------------------------------------------------

NUMBERS = _cases(
    ("squash weight=nan", ValueError, r"weight must be a finite number, got nan", lambda: squash_compute(weight=NAN)),
    ("squash weight='1'", TypeError, r"weight must be a number, got '1' of type str", lambda: squash_compute(weight="1")),
    ("squash weight=True", TypeError, r"weight must be a number, got True of type bool",
     lambda: squash_compute(weight=True)),
    ("squash bias=None", TypeError, r"bias must be a number, got None", lambda: squash_compute(bias=None)),
    ("squash x='2'", TypeError, r"x must be a number, got '2' of type str", lambda: squash_compute(x="2")),
    ("squash x=inf", ValueError, r"x must be a finite number, got inf", lambda: squash_compute(x=np.inf)),
    ("gate value='3'", TypeError, r"value must be a number, got '3' of type str", lambda: gate_compute(value="3")),
    ("gate zs='abc'", TypeError, r"zs must be a number, got 'abc' of type str", lambda: gate_compute(zs="abc")),
    ("gate zs with nan", ValueError, r"zs must hold finite numbers, but it contains NaN",
     lambda: gate_compute(zs=[0.0, NAN])),
    ("scalar_rnn w=nan", ValueError, r"w must be a finite number, got nan", lambda: scalar_rnn_compute(w=NAN)),
    ("scalar_rnn w='0.8'", TypeError, r"w must be a number, got '0\.8' of type str", lambda: scalar_rnn_compute(w="0.8")),
    ("scalar_rnn pulse=None", TypeError, r"pulse must be a number, got None", lambda: scalar_rnn_compute(pulse=None)),
    ("tanh_fixed_point w='2'", TypeError, r"w must be a number, got '2' of type str", lambda: tanh_fixed_point("2")),
    ("loop_outputs w='0.9'", TypeError, r"w must be a number, got '0\.9' of type str",
     lambda: loop_outputs(SEQUENCE[:, None], w="0.9")),
    ("echo change=nan", ValueError, r"change must be a finite number, got nan", lambda: echo_compute(change=NAN)),
    ("unrolled scale='2'", TypeError, r"scale must be a number, got '2' of type str",
     lambda: unrolled_compute(steps=3, scale="2")),
    ("unrolled scale=nan", ValueError, r"scale must be a finite number, got nan",
     lambda: unrolled_compute(steps=3, scale=NAN)),
    ("scaled_rnn scale=inf", ValueError, r"scale must be a finite number, got inf", lambda: scaled_rnn(np.inf)),
    ("influence scales with 'a'", TypeError, r"scales\[1\] must be a number, got 'a' of type str",
     lambda: influence_compute(scales=(0.5, "a"), steps=3)),
    ("influence scales='0.5'", TypeError, r"scales must be a list or tuple of numbers, got '0\.5' of type str",
     lambda: influence_compute(scales="0.5", steps=3)),
    ("first_input_influence 1-d xs", ValueError, r"xs must be one sequence of shape \(T, 1\) .*got shape \(5,\)",
     lambda: first_input_influence(keeping_lstm(), np.zeros(5))),
    ("first_input_influence empty xs", ValueError, r"xs must be one sequence of shape \(T, 1\) .*got shape \(0, 1\)",
     lambda: first_input_influence(keeping_lstm(), np.zeros((0, 1)))),
    ("country_cell strength='6'", TypeError, r"strength must be a number, got '6' of type str",
     lambda: country_cell(strength="6")),
    ("walk_values x='a'", TypeError, r"x must be a number, got 'a' of type str", lambda: walk_values(x="a")),
    ("belt_cell weight=nan", ValueError, r"weight must be a finite number, got nan", lambda: belt_cell(weight=NAN)),
    ("belt_compute 1-d xs", ValueError, r"xs must be one sequence of dishes, .*got shape \(5,\)",
     lambda: belt_compute(xs=np.zeros(5))),
    ("half_life_compute forget='0.9'", TypeError, r"forget must be a number in \[0, 1\], got '0\.9' of type str",
     lambda: half_life_compute("0.9")),
    ("half_life_compute forget=nan", ValueError, r"forget must be a finite number in \[0, 1\], got nan",
     lambda: half_life_compute(NAN)),
    ("first_value keep=None", TypeError, r"keep must be a number in \[0, 1\], got None",
     lambda: first_value_compute(steps=5, keep=None)),
    ("train_until_solved lr='fast'", TypeError, r"lr must be a number of at least 0, got 'fast'",
     lambda: train_until_solved("lstm", 10, 0, lr="fast")),
)

NUMBERS_8 = _cases(
    ("sample temperature=0", ValueError, r"temperature must be a positive number, got 0\.0",
     lambda s: sample(s["model"], s["vocab"], "x", 5, 0)),
    ("sample temperature='hot'", TypeError, r"temperature must be a number, got 'hot' of type str",
     lambda s: sample(s["model"], s["vocab"], "x", 5, "hot")),
    ("sample temperature=nan", ValueError, r"temperature must be a finite number, got nan",
     lambda s: sample(s["model"], s["vocab"], "x", 5, NAN)),
    ("forced_brackets value=2", ValueError, r"value must be a number in \[0, 1\], got 2",
     lambda s: forced_brackets(s, "forget", 2.0)),
    ("reading_compute value=-0.5", ValueError, r"value must be a number in \[0, 1\], got -0\.5",
     lambda s: reading_compute("x = (1", hold=True, value=-0.5, s=s)),
    ("reading_compute value='1'", TypeError, r"value must be a number in \[0, 1\], got '1' of type str",
     lambda s: reading_compute("x = (1", hold=True, value="1", s=s)),
)


@pytest.mark.parametrize("kind, pattern, call", NUMBERS + NUMBERS_8)
def test_numbers(kind, pattern, call):
    raises(kind, pattern, call)



# -- seeds and shuffles ---------------------------------------------------------------------------------------

SEEDS = _cases(
    ("nomemory shuffle=None", TypeError, r"shuffle must be a non-negative int \(a seed\), got None of type NoneType",
     lambda: nomemory_compute(shuffle=None)),
    ("nomemory shuffle=-1", ValueError, r"shuffle must be a non-negative int \(a seed\), got -1",
     lambda: nomemory_compute(shuffle=-1)),
    ("nomemory shuffle=1.5", TypeError, r"shuffle must be a non-negative int \(a seed\), got 1\.5 of type float",
     lambda: nomemory_compute(shuffle=1.5)),
    ("nomemory shuffle=True", TypeError, r"shuffle must be a non-negative int \(a seed\), got True of type bool",
     lambda: nomemory_compute(shuffle=True)),
    ("nomemory figure shuffle=None", TypeError, r"shuffle must be .*got None", lambda: NOMEMORY.figure(shuffle=None)),
    ("nomemory alt shuffle=None", TypeError, r"shuffle must be .*got None", lambda: NOMEMORY.text(shuffle=None)),
    ("nomemory seed=None", TypeError, r"seed must be a non-negative int \(a seed\), got None",
     lambda: nomemory_compute(seed=None)),
    ("tiny_net seed=-1", ValueError, r"seed must be a non-negative int \(a seed\), got -1", lambda: tiny_net(-1)),
    ("chapter_inputs seed=-1", ValueError, r"seed must be a non-negative int \(a seed\), got -1",
     lambda: chapter_inputs(5, seed=-1)),
    ("unrolled seed=None", TypeError, r"seed must be a non-negative int \(a seed\), got None",
     lambda: unrolled_compute(steps=3, scale=1.0, seed=None)),
    ("counting_sequence seed=None", TypeError, r"seed must be a non-negative int \(a seed\), got None",
     lambda: counting_sequence(seed=None)),
    ("first_value seed=-1", ValueError, r"seed must be a non-negative int \(a seed\), got -1",
     lambda: first_value_compute(steps=5, seed=-1)),
    ("make_model seed=None", TypeError, r"seed must be a non-negative int \(a seed\), got None",
     lambda: make_model("lstm", 8, 16, 4, None)),
    ("first_symbol_batch rng=0", TypeError, r"rng must be a numpy Generator, .*got 0 of type int",
     lambda: first_symbol_batch(3, 2, 0)),
)


@pytest.mark.parametrize("kind, pattern, call", SEEDS)
def test_seeds(kind, pattern, call):
    raises(kind, pattern, call)


@pytest.mark.parametrize("shuffle", [0, 1, 3])
def test_a_shuffle_gives_the_same_order_at_every_call(shuffle):
    first, again = nomemory_compute(shuffle=shuffle)["order"], nomemory_compute(shuffle=shuffle)["order"]
    assert np.array_equal(first, again) and sorted(first) == list(range(len(SEQUENCE)))


# -- half-lives -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("f", [0.5, 0.7310585786300049, 0.9, 0.99, 0.999, 1e-3, 0.25])
def test_a_half_life_halves_the_plate(f):
    assert np.isclose(f ** half_life(f), 0.5, rtol=1e-12)


HALF_LIFE_VALUES = [
    pytest.param(lambda: half_life(1.0), np.inf, id="f=1 never halves: inf"),
    pytest.param(lambda: half_life(np.float64(1.0)), np.inf, id="f=np.float64(1): inf"),
    pytest.param(lambda: half_life(1), np.inf, id="f=int 1: inf"),
    pytest.param(lambda: half_life(0.0), 0.0, id="f=0 clears at once: 0"),
    pytest.param(lambda: half_life(np.array([0.0, 0.5, 1.0])), np.array([0.0, 1.0, np.inf]), id="array 0, 0.5, 1"),
    pytest.param(lambda: half_life_compute(1.0)["half_life"], np.inf, id="compute f=1: inf"),
    pytest.param(lambda: half_life_compute(1.0, steps=5)["left"], np.ones(5), id="compute f=1: all left"),
    pytest.param(lambda: half_life_compute(0.0, steps=3)["left"], np.zeros(3), id="compute f=0: nothing left"),
]


@pytest.mark.parametrize("call, expected", HALF_LIFE_VALUES)
def test_half_life_at_the_ends(call, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning from log(0) or a division by 0
        got = call()
    np.testing.assert_array_equal(got, expected)


HALF_LIFE_ERRORS = _cases(
    ("f=1.5", ValueError, r"f must be a number in \[0, 1\], got 1\.5", lambda: half_life(1.5)),
    ("f=-0.1", ValueError, r"f must be a number in \[0, 1\], got -0\.1", lambda: half_life(-0.1)),
    ("f='0.9'", TypeError, r"f must be a number in \[0, 1\], got '0\.9' of type str", lambda: half_life("0.9")),
    ("f=nan", ValueError, r"f must be a finite number in \[0, 1\], got nan", lambda: half_life(NAN)),
    ("f=None", TypeError, r"f must be a number in \[0, 1\], got None", lambda: half_life(None)),
    ("f=True", TypeError, r"f must be a number in \[0, 1\], got True of type bool", lambda: half_life(True)),
    ("f array above 1", ValueError, r"f must hold numbers in \[0, 1\], got values from 0\.5 to 1\.2",
     lambda: half_life(np.array([0.5, 1.2]))),
    ("alt forget=1.5", ValueError, r"forget must be a number in \[0, 1\], got 1\.5",
     lambda: HALF_LIFE.text(forget=1.5)),
)


@pytest.mark.parametrize("kind, pattern, call", HALF_LIFE_ERRORS)
def test_half_life_refuses_what_is_no_forget_gate(kind, pattern, call):
    raises(kind, pattern, call)


def test_the_alt_text_of_a_gate_of_one_says_the_plate_never_halves():
    text = half_life_alt(half_life_compute(1.0))
    assert "never halved" in text and "inf" not in text


# -- short sequences: the start of the longer one -------------------------------------------------------------

SHORT = [
    pytest.param(lambda: demo_inputs(5), demo_inputs(30)[:5], id="demo_inputs(5)"),
    pytest.param(lambda: demo_inputs(1), demo_inputs(30)[:1], id="demo_inputs(1)"),
    pytest.param(lambda: demo_inputs(12), demo_inputs(30)[:12], id="demo_inputs(12)"),
    pytest.param(lambda: rnn_states_compute(steps=5).h, rnn_states_compute().h[:5], id="rnn_states(5)"),
    pytest.param(lambda: echo_compute(steps=5)["gap"], echo_compute()["gap"][:5], id="echo(5)"),
    pytest.param(lambda: gate_demo_inputs(4), gate_demo_inputs()[:4], id="gate_demo_inputs(4)"),
    pytest.param(lambda: belt_gates(5)["forget"], belt_gates()["forget"][:5], id="belt_gates(5) forget"),
    pytest.param(lambda: belt_gates(5)["input"], belt_gates()["input"][:5], id="belt_gates(5) input"),
    pytest.param(lambda: belt_compute(xs=BELT_DISHES[:5]).c, belt_compute().c[:5], id="belt of 5 dishes"),
    pytest.param(lambda: [walk_values(x=0.0)[k] for k in ("f", "i", "g", "o", "c", "h")],
                 [walk_values()[k] for k in ("f", "i", "g", "o", "c", "h")], id="walk_values x=0.0 as [0.0]"),
    pytest.param(lambda: walk_values(cell=gate_demo_cell(), unit=2)["c"], float(
        gate_demo_cell().forward(gate_demo_inputs()[:1], c0=[0.8, -0.5, 0.3]).c[0, 2]), id="walk_values unit=2"),
]


@pytest.mark.parametrize("call, expected", SHORT)
def test_a_short_sequence_is_the_start_of_the_long_one(call, expected):
    np.testing.assert_array_equal(call(), expected)


# -- chapter 8's data -----------------------------------------------------------------------------------------

def _marks(text):
    return {name: "".join(str(int(v)) for v in values) for name, values in text_features(text).items()
            if name != "indent"}


UNCLOSED = [
    # text, brackets, string, comment: inside an unclosed string nothing else is marked
    pytest.param('x = "abc (d # e\n', "0" * 16, "0000" + "1" * 12, "0" * 16, id="unclosed string, bracket, comment"),
    pytest.param('x = "abc (d # e', "0" * 15, "0000" + "1" * 11, "0" * 15, id="unclosed, no newline"),
    pytest.param("x = 'b(c\ny = 1\n", "0" * 15, "0000" + "1" * 5 + "0" * 6, "0" * 15, id="bracket does not last"),
    pytest.param("f('a', 'b(c # d\ny = (1)\n", "00" + "1" * 22, "00111001111111110000000" + "0",
                 "0" * 24, id="inside a call: the call's bracket holds"),
    pytest.param("    x = f(a, 'b(')  # see (1)\n", "0" * 10 + "1" * 7 + "0" * 13, "0" * 13 + "1" * 4 + "0" * 13,
                 "0" * 20 + "1" * 9 + "0", id="the chapter's line, unchanged"),
]


@pytest.mark.parametrize("text, brackets, string, comment", UNCLOSED)
def test_text_features_mark_nothing_inside_an_unclosed_string(text, brackets, string, comment):
    assert _marks(text) == {"brackets": brackets, "string": string, "comment": comment}


DATA_8 = _cases(
    ("gates_at empty mask", ValueError, r"where must select at least one character, got a mask of \d+ characters, "
     "none of them True", lambda s: gates_at(s, 0, np.zeros(len(s["text"]), bool))),
    ("gates_at no indices", ValueError, r"where must select at least one character, got no indices",
     lambda s: gates_at(s, 0, [])),
    ("gates_at short mask", TypeError, r"where must be a boolean mask of shape \(\d+,\).*got bool of shape \(10,\)",
     lambda s: gates_at(s, 0, np.ones(10, bool))),
    ("gates_at index past the end", ValueError, r"where must hold indices from 0 to \d+ .*got values from 0 to \d+",
     lambda s: gates_at(s, 0, [0, len(s["text"])])),
    ("gates_at cell=256", ValueError, r"cell must be an int from 0 to 255 .*got 256",
     lambda s: gates_at(s, 256, np.ones(len(s["text"]), bool))),
    ("gates_at cell=-1", ValueError, r"cell must be an int from 0 to 255 .*got -1",
     lambda s: gates_at(s, -1, np.ones(len(s["text"]), bool))),
    ("gates_at cell=1.5", TypeError, r"cell must be an int from 0 to 255 .*got 1\.5 of type float",
     lambda s: gates_at(s, 1.5, np.ones(len(s["text"]), bool))),
    ("sample length=-1", ValueError, r"length must be an int of at least 0, got -1",
     lambda s: sample(s["model"], s["vocab"], "x", -1, 1.0)),
    ("sample length=2.5", TypeError, r"length must be an int of at least 0, got 2\.5 of type float",
     lambda s: sample(s["model"], s["vocab"], "x", 2.5, 1.0)),
    ("sample length=None", TypeError, r"length must be an int of at least 0, got None",
     lambda s: sample(s["model"], s["vocab"], "x", None, 1.0)),
    ("sample seed=None", TypeError, r"seed must be a non-negative int \(a seed\), got None",
     lambda s: sample(s["model"], s["vocab"], "x", 3, 1.0, seed=None)),
)


@pytest.mark.parametrize("kind, pattern, call", DATA_8)
def test_chapter_8_data(kind, pattern, call):
    raises(kind, pattern, call)


def test_gates_at_indices_give_the_mask_s_means(s):
    chars = np.array(list(s["text"]))
    mask = chars == "("
    assert gates_at(s, 3, np.flatnonzero(mask)) == gates_at(s, 3, mask)
    assert gates_at(s, 3, mask)["forget"] == float(s["reading"]["forget"][mask, 3].mean())


def test_sampling_nothing_writes_nothing(s):
    assert sample(s["model"], s["vocab"], "x", 0, 1.0) == ""
    assert len(sample(s["model"], s["vocab"], "x", 7, 1.0)) == 7


def test_load_model_in_float32_keeps_float32():
    model, vocab, _ = load_model(dtype=np.float32)
    assert model.params["readout.weight"].dtype == np.float32 and len(vocab) == 96

