"""The public edge of lstm_lite, case by case: every input a reader can type gets a right answer or a sentence.

Each case asserts either the error's type and that its message names the argument, what was expected and what came,
or the right value (against the same computation done the plain way, PyTorch, a formula or a property): never only
"no exception". Grouped by family, as issue 21 lists them. tests/test_edge_book.py is the same for the chapters'
helpers.
"""

import numpy as np
import pytest
import torch
from conftest import assert_close

from lstm_lite import (
    Adam,
    Dense,
    Embedding,
    GRUCell,
    LanguageModel,
    LSTMCell,
    RNNCell,
    SequenceClassifier,
    cross_entropy,
    sigmoid,
    tanh,
    train,
)

CELLS = [RNNCell, GRUCell, LSTMCell]
XS = np.linspace(-1.0, 1.0, 12).reshape(4, 3)  # one sequence: 4 steps of 3 features
BATCH = np.linspace(-1.0, 1.0, 24).reshape(4, 2, 3)  # a batch of 2


def _blocks(cls):
    return {RNNCell: 1, GRUCell: 3, LSTMCell: 4}[cls]


def _run(cell, how, xs=XS):
    """Use the cell the way `how` says: a whole run, one step, or a run and its backward."""
    if how == "forward":
        return cell.forward(xs).h
    if how == "step":
        one = cell.step(xs[0])
        return one if isinstance(cell, RNNCell) else one.h  # an RNN's step is its new h
    trace = cell.forward(xs)
    return cell.backward(trace, np.ones_like(trace.h))["weight_hh"]


# -- weights assigned after construction: checked where they are used --------------------------------------------

BAD_WEIGHTS = [  # (parameter, value from the cell's sizes H=2, D=3 and blocks n, error, what the message must say)
    ("weight_hh", lambda n: np.zeros((n * 2 + 1, 2)), ValueError, r"weight_hh of a \w+ must have shape \(\d \* H, H\), got \(\d+, 2\)"),
    ("weight_hh", lambda n: np.zeros(n * 2), ValueError, r"weight_hh must have shape \(\d \* H, H\), each > 0, got \(\d+,\)"),
    ("weight_hh", lambda n: np.zeros((n, 1), int), ValueError, r"weight_ih must have shape \(\d, input_size\) to match weight_hh \(\d, 1\), got \(\d+, 3\)"),
    ("weight_ih", lambda n: np.zeros((2, 3)) if n > 1 else np.zeros((3, 3)), ValueError, r"weight_ih must have shape \(\d, input_size\) to match weight_hh \(\d, 2\), got \(\d, 3\)"),
    ("weight_ih", lambda n: np.zeros((n * 2, 3, 1)), ValueError, r"weight_ih must have shape \(\d, input_size\), each > 0, got \(\d, 3, 1\)"),
    ("bias_ih", lambda n: np.zeros(n * 2 + 1), ValueError, r"bias_ih must have shape \(\d,\), got \(\d+,\)"),
    ("bias_hh", lambda n: np.zeros((1, n * 2)), ValueError, r"bias_hh must have shape \(\d,\), got \(1, \d\)"),
    ("weight_hh", lambda n: np.full((n * 2, 2), np.nan), ValueError, r"weight_hh must hold finite numbers, but it contains NaN or inf"),
    ("bias_hh", lambda n: np.full(n * 2, np.inf), ValueError, r"bias_hh must hold finite numbers, but it contains NaN or inf"),
    ("weight_ih", lambda n: None, TypeError, r"weight_ih must be an array of numbers, got None"),
    ("weight_hh", lambda n: "weights", TypeError, r"weight_hh must be an array of numbers, got str"),
    ("bias_ih", lambda n: np.zeros(n * 2, complex), TypeError, r"bias_ih must hold real numbers, got complex values"),
]


@pytest.mark.parametrize("how", ["forward", "step", "backward"])
@pytest.mark.parametrize("name, make, error, says", BAD_WEIGHTS, ids=[
    "hh-rows", "hh-1d", "hh-smaller-H", "ih-rows", "ih-3d", "bias_ih-size", "bias_hh-2d", "hh-nan", "bias-inf", "ih-none",
    "hh-str", "bias-complex"])
@pytest.mark.parametrize("cls", CELLS, ids=lambda c: c.__name__)
def test_a_weight_assigned_badly_is_named_where_it_is_used(cls, name, make, error, says, how):
    cell = cls(3, 2, seed=1)
    if how == "backward":  # the trace is made with good weights; backward reads the bad ones
        trace = cell.forward(XS)
        setattr(cell, name, make(_blocks(cls)))
        with pytest.raises(error, match=says):
            cell.backward(trace, np.ones_like(trace.h))
        return
    setattr(cell, name, make(_blocks(cls)))
    with pytest.raises(error, match=says):
        _run(cell, how)


ASSIGNED = [  # a weight assigned in another form than float64: the same numbers as the float64 weights give
    ("list", lambda w: w.tolist()),
    ("ints", lambda w: np.round(4 * w).astype(np.int64)),
    ("tensor", lambda w: torch.tensor(w, requires_grad=True)),
]


@pytest.mark.parametrize("how", ["forward", "step", "backward"])
@pytest.mark.parametrize("form, convert", ASSIGNED, ids=[a[0] for a in ASSIGNED])
@pytest.mark.parametrize("cls", CELLS, ids=lambda c: c.__name__)
def test_a_weight_assigned_as_a_list_ints_or_a_tensor_gives_the_float_answer(cls, form, convert, how):
    cell, plain = cls(3, 2, seed=2), cls(3, 2, seed=2)
    value = convert(np.linspace(-0.6, 0.6, plain.weight_hh.size).reshape(plain.weight_hh.shape))
    cell.weight_hh = value
    plain.weight_hh = np.asarray(value.detach() if form == "tensor" else value, dtype=np.float64)
    got, expected = _run(cell, how), _run(plain, how)
    assert got.dtype == np.float64
    assert_close(got, expected, rtol=0, atol=0, what=f"weight_hh assigned as {form}")
    if form == "ints":  # the RNN once cast its inputs to int: h = [0, 0, 0]
        assert np.abs(got).max() > 0.1


def test_chapter_3s_scaled_weights_are_used_as_assigned():
    cell, plain = RNNCell(1, 3, seed=0), RNNCell(1, 3, seed=0)
    cell.weight_ih = 3.0 * cell.weight_ih
    xs = np.array([[1.0], [0.0], [0.0]])
    h = np.zeros(3)
    for x in xs:  # the equation, by hand
        h = np.tanh(3.0 * plain.weight_ih @ x + plain.bias_ih + plain.weight_hh @ h + plain.bias_hh)
    assert_close(cell.forward(xs).h[-1], h, what="h after chapter 3's scaling")


@pytest.mark.parametrize("layer, name, value, error, says", [
    (lambda: Dense(3, 2), "weight", np.zeros((2, 4)), ValueError, r"x must have shape \(\.\.\., 4\), got \(3,\)"),
    (lambda: Dense(3, 2), "weight", np.zeros(3), ValueError, r"weight must have shape \(output_size, input_size\), each > 0, got \(3,\)"),
    (lambda: Dense(3, 2), "bias", np.zeros(3), ValueError, r"bias must have shape \(2,\), got \(3,\)"),
    (lambda: Dense(3, 2), "weight", np.full((2, 3), np.nan), ValueError, r"weight must hold finite numbers"),
    (lambda: Dense(3, 2), "bias", None, TypeError, r"bias must be an array of numbers, got None"),
    (lambda: Embedding(5, 2), "weight", np.zeros(5), ValueError, r"weight must have shape \(num_symbols, size\), each > 0, got \(5,\)"),
    (lambda: Embedding(5, 2), "weight", np.full((5, 2), np.inf), ValueError, r"weight must hold finite numbers"),
    (lambda: Embedding(5, 2), "weight", "table", TypeError, r"weight must be an array of numbers, got str"),
], ids=["dense-wider", "dense-1d", "dense-bias", "dense-nan", "dense-none", "emb-1d", "emb-inf", "emb-str"])
def test_a_layers_weight_assigned_badly_is_named(layer, name, value, error, says):
    layer = layer()
    setattr(layer, name, value)
    with pytest.raises(error, match=says):
        layer.forward(np.ones(3)) if isinstance(layer, Dense) else layer.forward(np.array([1, 2]))


def test_a_dense_weight_assigned_as_ints_gives_the_float_answer():
    layer = Dense(3, 2)
    layer.weight, layer.bias = [[1, 2, 3], [0, -1, 0]], np.array([0, 1])
    assert_close(layer.forward(np.array([1.0, 0.5, -1.0])), np.array([1 + 1 - 3, -0.5 + 1]), what="W x + b")


# -- params follow the model's weights ----------------------------------------------------------------------------

@pytest.mark.parametrize("make", [lambda: SequenceClassifier(LSTMCell(2, 3), 2), lambda: LanguageModel(GRUCell(2, 3), 4)],
                         ids=["classifier", "language-model"])
@pytest.mark.parametrize("part, name", [("cell", "weight_hh"), ("readout", "weight"), ("cell", "bias_ih")])
def test_params_hold_a_weight_assigned_later(make, part, name):
    model = make()
    new = getattr(getattr(model, part), name) * 0.5
    setattr(getattr(model, part), name, new)
    assert model.params[f"{part}.{name}"] is new


def test_training_updates_a_weight_assigned_before_it():
    model = SequenceClassifier(LSTMCell(1, 2, seed=0), 2, seed=0)
    model.cell.weight_hh = model.cell.weight_hh * 2.0
    before = model.cell.weight_hh.copy()
    xs, labels = np.linspace(-1, 1, 12).reshape(3, 4, 1), np.array([0, 1, 0, 1])
    train(lambda step: model.loss_and_grads(xs, labels), model.params, steps=3, progress=False)
    assert not np.array_equal(model.cell.weight_hh, before), "training skipped the weight assigned before it"


# -- one precision rule: a cell computes in float32 only if every parameter is float32 ----------------------------

@pytest.mark.parametrize("part", ["forward", "step", "backward", "gradients"])
@pytest.mark.parametrize("cls", CELLS, ids=lambda c: c.__name__)
def test_a_float32_cell_keeps_float32_everywhere(cls, part):
    cell = cls(3, 2, seed=0).astype(np.float32)
    if part == "forward":
        trace = cell.forward(BATCH)
        arrays = {k: getattr(trace, k) for k in trace.__dataclass_fields__ if isinstance(getattr(trace, k), np.ndarray)}
    elif part == "step":
        one = cell.step(XS[0])
        arrays = {"h": one} if isinstance(cell, RNNCell) else {k: getattr(one, k) for k in one.__dataclass_fields__}
    else:
        trace = cell.forward(XS)
        arrays = cell.backward(trace, np.ones_like(trace.h))
        arrays = {k: v for k, v in arrays.items() if (k in cell.parameters()) == (part == "gradients")}
    assert {k: v.dtype for k, v in arrays.items()} == {k: np.dtype(np.float32) for k in arrays}


@pytest.mark.parametrize("cls", CELLS, ids=lambda c: c.__name__)
def test_a_float32_cell_gives_the_float64_answer_to_float32_accuracy(cls):
    cell = cls(3, 2, seed=0)
    assert_close(cell.astype(np.float32).forward(XS).h, cell.forward(XS).h, rtol=1e-5, atol=1e-6, what="float32 run")


@pytest.mark.parametrize("cls", CELLS, ids=lambda c: c.__name__)
def test_one_float64_weight_makes_a_float32_cell_compute_in_float64(cls):
    cell = cls(3, 2, seed=0).astype(np.float32)
    cell.weight_ih = cell.weight_ih.astype(np.float64)
    assert cell.forward(XS).h.dtype == np.float64 and cell.weight_hh.dtype == np.float64


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float16, bool, "float32", None])
@pytest.mark.parametrize("cls", CELLS, ids=lambda c: c.__name__)
def test_a_cell_in_a_precision_that_is_no_float_is_refused(cls, dtype):
    with pytest.raises(TypeError, match=r"dtype must be np.float32 or np.float64 .*, got "):
        cls(3, 2).astype(dtype)


def test_a_language_model_in_ints_is_refused():
    with pytest.raises(TypeError, match=r"dtype must be np.float32 or np.float64 .*, got <class 'numpy.int32'>"):
        LanguageModel(LSTMCell(2, 3), 4).astype(np.int32)


def test_sigmoid_and_tanh_keep_float32():
    x = np.linspace(-3, 3, 7, dtype=np.float32)
    assert sigmoid(x).dtype == tanh(x).dtype == np.float32
    assert sigmoid(2).dtype == np.float64 and sigmoid(x.astype(np.float16)).dtype == np.float64


# -- train takes what the book's models return --------------------------------------------------------------------

def _manual_adam(model, batch, steps, lr):
    """The same updates as train, written as the loop a reader would write."""
    opt, losses = Adam(model.params, lr=lr), []
    for _ in range(steps):
        loss, grads = batch()[:2]
        from lstm_lite import clip_grad_norm

        opt.step(clip_grad_norm(grads, 1.0)[0])
        losses.append(loss)
    return np.array(losses)


def test_train_takes_a_language_models_three_values():
    symbols, targets = np.array([[0, 1], [2, 3], [1, 0]]), np.array([[1, 2], [3, 1], [0, 2]])
    a, b = LanguageModel(LSTMCell(2, 3, seed=0), 4), LanguageModel(LSTMCell(2, 3, seed=0), 4)
    history = train(lambda step: a.loss_and_grads(symbols, targets), a.params, steps=4, lr=0.05, progress=False)
    assert_close(history.loss, _manual_adam(b, lambda: b.loss_and_grads(symbols, targets), 4, 0.05), what="losses")
    assert history.loss[-1] < history.loss[0]


@pytest.mark.parametrize("returns, says", [
    (lambda: 1.0, r"must return \(loss, grads\), or \(loss, grads, state\) .*, got float"),
    (lambda: (1.0,), r"must return \(loss, grads\).*, got tuple of length 1"),
    (lambda: (1.0, {}, {}, {}), r"must return \(loss, grads\).*, got tuple of length 4"),
    (lambda: [1.0, {"w": np.ones(2)}], r"must return \(loss, grads\).*, got list"),
    (lambda: {"loss": 1.0}, r"must return \(loss, grads\).*, got dict"),
    (lambda: None, r"must return \(loss, grads\).*, got NoneType"),
], ids=["loss-only", "one", "four", "list", "dict", "none"])
def test_train_says_what_loss_and_grads_must_return(returns, says):
    with pytest.raises(TypeError, match=says):
        train(lambda step: returns(), {"w": np.zeros(2)}, steps=2, progress=False)


@pytest.mark.parametrize("loss, error, says", [
    (float("nan"), ValueError, r"the loss at step 0 must be a finite number, got nan"),
    ("1.0", ValueError, r"the loss at step 0 must be a finite number, got '1.0'"),
])
def test_train_names_a_bad_loss(loss, error, says):
    with pytest.raises(error, match=says):
        train(lambda step: (loss, {"w": np.ones(2)}), {"w": np.zeros(2)}, steps=2, progress=False)


# -- seeds ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [None, -1, 1.5, True, "0", [1, 2]], ids=repr)
@pytest.mark.parametrize("make", [lambda s: SequenceClassifier(LSTMCell(2, 3), 2, seed=s),
                                  lambda s: LanguageModel(LSTMCell(2, 3), 4, seed=s),
                                  lambda s: Embedding(4, 2, seed=s), lambda s: RNNCell(2, 3, seed=s)],
                         ids=["classifier", "language-model", "embedding", "rnn"])
def test_a_bad_seed_is_named(make, seed):
    with pytest.raises(TypeError, match=rf"seed must be a non-negative int \(or a numpy SeedSequence\), got {__import__('re').escape(repr(seed))}"):
        make(seed)


@pytest.mark.parametrize("make", [lambda s: SequenceClassifier(LSTMCell(2, 3), 2, seed=s),
                                  lambda s: LanguageModel(LSTMCell(2, 3), 4, seed=s)], ids=["classifier", "language-model"])
def test_a_seed_sequence_seeds_a_model_the_same_each_time(make):
    a, b, c = make(np.random.SeedSequence(7)), make(np.random.SeedSequence(7)), make(np.random.SeedSequence(8))
    assert np.array_equal(a.readout.weight, b.readout.weight) and not np.array_equal(a.readout.weight, c.readout.weight)


def test_an_int_seed_still_gives_the_models_of_before():
    """The readout's stream is SeedSequence([seed, 1]), as it always was: chapter 7's and 8's numbers stay."""
    model = SequenceClassifier(LSTMCell(2, 3), 2, seed=5)
    assert np.array_equal(model.readout.weight, Dense(3, 2, seed=np.random.SeedSequence([5, 1])).weight)


# -- no aliasing of the caller's arrays ---------------------------------------------------------------------------

@pytest.mark.parametrize("cls, gate", [(LSTMCell, "forget"), (LSTMCell, "input"), (LSTMCell, "output"), (LSTMCell, "candidate"),
                                       (GRUCell, "reset"), (GRUCell, "update")])
def test_a_gate_changed_after_a_step_leaves_the_step_as_it_was(cls, gate):
    g = np.array([0.5, 0.25])
    one = cls(3, 2).step(XS[0], **{gate: g})
    g[0] = 0.9
    assert getattr(one, gate).tolist() == [0.5, 0.25]


@pytest.mark.parametrize("cls, gate", [(LSTMCell, "forget"), (GRUCell, "update")])
def test_a_gate_changed_after_a_run_leaves_the_run_as_it_was(cls, gate):
    g = np.full((4, 2), 0.5)
    trace = cls(3, 2).forward(XS, **{gate: g})
    g[:] = 0.9
    assert np.all(getattr(trace, gate) == 0.5)


@pytest.mark.parametrize("cls", CELLS, ids=lambda c: c.__name__)
def test_a_state_changed_after_a_run_leaves_the_run_as_it_was(cls):
    h0 = np.array([0.3, -0.2])
    trace = cls(3, 2).forward(XS, h0=h0)
    h0[0] = 9.0
    assert trace.h0.tolist() == [0.3, -0.2]


# -- errors that name the argument that is wrong ------------------------------------------------------------------

def test_a_wrong_shaped_gru_weight_ih_is_blamed_on_weight_ih():
    cell = GRUCell(3, 2)
    cell.weight_ih = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"^weight_ih must have shape \(6, input_size\) .* got \(2, 3\)"):
        cell.forward(XS)


@pytest.mark.parametrize("call", ["logits", "predict", "loss_and_grads"])
def test_one_sequence_given_to_the_classifier_is_named_as_xs(call):
    model = SequenceClassifier(LSTMCell(3, 2), 2)
    args = (XS, np.array([0])) if call == "loss_and_grads" else (XS,)
    with pytest.raises(ValueError, match=r"xs must be a batch of sequences, shape \(T, B, 3\), got shape \(4, 3\): .*xs\[:, None\]"):
        getattr(model, call)(*args)


def test_the_classifier_gives_one_sequence_passed_as_a_batch_of_one_its_value():
    model = SequenceClassifier(LSTMCell(3, 2), 2)
    logits = model.logits(XS[:, None])
    assert_close(logits[0], model.readout.forward(model.cell.forward(XS).h[-1]), what="logits of the one sequence")


@pytest.mark.parametrize("targets", [np.zeros((3, 3), int), np.zeros(6, int), np.zeros((3, 2, 1), int)], ids=["3x3", "flat", "3x2x1"])
def test_mismatched_targets_are_named_as_targets(targets):
    model = LanguageModel(LSTMCell(2, 3), 4)
    with pytest.raises(ValueError, match=rf"targets must have the shape of symbols, \(3, 2\), got {__import__('re').escape(str(targets.shape))}"):
        model.loss_and_grads(np.zeros((3, 2), int), targets)


# -- also: Adam's step, a gate dict that sets nothing ----------------------------------------------

def test_adam_refuses_a_step_that_would_write_inf_and_leaves_the_weights():
    params = {"w": np.ones(2)}
    opt = Adam(params, lr=1e308)
    opt.step({"w": np.ones(2)})  # moves each weight by lr, exactly: -1e308 is still a number
    assert_close(params["w"], np.full(2, 1.0 - 1e308), what="one step of lr")
    before, state = params["w"].copy(), (opt.t, opt.m["w"].copy())
    with pytest.raises(ValueError, match=r"with lr=1e\+308 this step would write inf or NaN into the weights.*smaller lr"):
        opt.step({"w": np.ones(2)})
    assert np.array_equal(params["w"], before) and (opt.t, opt.m["w"].tolist()) == (state[0], state[1].tolist())


def test_adam_steps_are_the_ones_of_torch():
    w = np.array([0.5, -1.0, 2.0])
    params, tw = {"w": w.copy()}, torch.tensor(w.copy(), requires_grad=True)
    opt, topt = Adam(params, lr=0.1), torch.optim.Adam([tw], lr=0.1)
    for k in range(3):
        g = np.array([1.0, -2.0, 0.5]) * (k + 1)
        opt.step({"w": g})
        tw.grad = torch.tensor(g)
        topt.step()
    assert_close(params["w"], tw.detach().numpy(), what="three Adam steps")


@pytest.mark.parametrize("gate", ["input", "forget", "output", "candidate"])
def test_a_gate_dict_that_sets_no_memory_cell_forces_nothing(gate):
    cell = LSTMCell(3, 2)
    trace, plain = cell.forward(XS, **{gate: {}}), cell.forward(XS)
    assert trace.forced == () and trace.forced_cells == ()
    assert np.array_equal(trace.h, plain.h)
    assert_close(cell.backward(trace, np.ones((4, 2)))["weight_hh"], cell.backward(plain, np.ones((4, 2)))["weight_hh"], rtol=0, atol=0)


def test_cross_entropy_of_a_batch_of_one_is_minus_log_softmax():
    logits = np.array([[1.0, 2.0, 0.5]])
    loss, _ = cross_entropy(logits, np.array([1]))
    assert_close(loss, -np.log(np.exp(2.0) / np.exp(logits).sum()), what="-log p")
