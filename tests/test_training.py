"""The training helpers: losses and their gradients, clipping, Adam, and a tiny LSTM that learns."""

import numpy as np
import pytest

from lstm_lite import Adam, LSTMCell, SequenceClassifier, clip_grad_norm, cross_entropy, train


def test_cross_entropy_value_and_gradient():
    logits = np.array([[2.0, 0.0, -1.0], [0.0, 0.0, 0.0]])
    labels = np.array([0, 2])
    loss, grad = cross_entropy(logits, labels)
    p0 = np.exp(logits[0]) / np.exp(logits[0]).sum()
    assert loss == pytest.approx((-np.log(p0[0]) + np.log(3)) / 2, rel=1e-12)
    eps = 1e-6
    for idx in np.ndindex(logits.shape):
        bumped = logits.copy()
        bumped[idx] += eps
        down = logits.copy()
        down[idx] -= eps
        numeric = (cross_entropy(bumped, labels)[0] - cross_entropy(down, labels)[0]) / (2 * eps)
        assert grad[idx] == pytest.approx(numeric, abs=1e-8)
    assert np.isfinite(cross_entropy(np.array([[1e4, -1e4]]), np.array([1]))[0])  # no overflow


def test_clipping_bounds_the_norm_and_keeps_the_direction():
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[4.0]])}
    clipped, norm = clip_grad_norm(grads, max_norm=1.0)
    assert norm == pytest.approx(5.0)
    total = np.sqrt(sum(np.sum(g**2) for g in clipped.values()))
    assert total == pytest.approx(1.0)
    np.testing.assert_allclose(clipped["a"] / clipped["b"].ravel()[0], grads["a"] / 4.0)
    small, _ = clip_grad_norm(grads, max_norm=10.0)
    assert all(np.array_equal(small[k], grads[k]) for k in grads)  # short steps are left alone
    assert grads["a"][0] == 3.0  # the input dict is not changed


def test_adam_minimises_a_quadratic():
    target = np.array([1.0, -2.0, 3.0])
    params = {"w": np.zeros(3)}
    opt = Adam(params, lr=0.1)
    for _ in range(500):
        opt.step({"w": 2 * (params["w"] - target)})
    np.testing.assert_allclose(params["w"], target, atol=1e-3)


def test_train_reports_history_and_updates_in_place():
    params = {"w": np.array([5.0])}
    history = train(lambda step: (float(params["w"][0] ** 2), {"w": 2 * params["w"]}), params, steps=200, lr=0.1, progress=False)
    assert history.loss.shape == (200,) and history.grad_norm.shape == (200,)
    assert history.loss[-1] < 1e-3 * history.loss[0]
    assert abs(params["w"][0]) < 0.05


def test_train_stops_when_its_check_says_so_and_checks_every_so_many_updates():
    params, seen = {"w": np.array([5.0])}, []

    def small_enough(updates):
        seen.append(updates)
        return abs(params["w"][0]) < 1.0

    history = train(lambda step: (float(params["w"][0] ** 2), {"w": 2 * params["w"]}), params, steps=1000, lr=0.1,
                    progress=False, check=small_enough, check_every=7)
    assert seen == list(range(7, 7 * len(seen) + 1, 7))  # after updates 7, 14, ...: never between
    assert len(history.loss) == seen[-1] == len(history.grad_norm)  # stopped at the first check that said so
    assert abs(params["w"][0]) < 1.0 <= history.loss[seen[-2]]  # the loss of the update after a check is w ** 2 there


def test_train_checks_after_the_last_update_and_advances_a_bar_of_the_caller():
    class Bar:
        n = 0

        def update(self):
            self.n += 1

    bar, seen = Bar(), []
    history = train(lambda step: (1.0, {"w": np.ones(1)}), {"w": np.zeros(1)}, steps=10, progress=bar,
                    check=lambda updates: seen.append(updates) or False, check_every=4)
    assert seen == [4, 8, 10] and bar.n == 10 and len(history.loss) == 10


def test_classifier_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    model = SequenceClassifier(LSTMCell(2, 3, seed=1), n_classes=3, seed=2)
    xs, labels = rng.normal(size=(4, 5, 2)), rng.integers(0, 3, 5)
    _, grads = model.loss_and_grads(xs, labels)
    eps = 1e-6
    for name, array in model.params.items():
        idx = tuple(0 for _ in array.shape)
        keep = array[idx]
        array[idx] = keep + eps
        up = model.loss_and_grads(xs, labels)[0]
        array[idx] = keep - eps
        down = model.loss_and_grads(xs, labels)[0]
        array[idx] = keep
        assert grads[name][idx] == pytest.approx((up - down) / (2 * eps), rel=1e-5, abs=1e-9), name


def test_a_tiny_lstm_learns_to_copy_a_bit_over_a_few_steps():
    """The bit comes at step 0, then zeros and noise; the model must name it at the last step."""
    rng = np.random.default_rng(0)
    T, B = 6, 32

    def batch(n):
        bits = rng.integers(0, 2, n)
        xs = np.zeros((T, n, 2))
        xs[0, :, 0] = 2 * bits - 1  # the bit, as -1 or +1
        xs[1:, :, 1] = rng.normal(0, 1, (T - 1, n))  # noise on another input
        return xs, bits

    model = SequenceClassifier(LSTMCell(2, 4, seed=0), n_classes=2, seed=0)
    history = train(lambda step: model.loss_and_grads(*batch(B)), model.params, steps=300, lr=0.05, progress=False)
    xs, bits = batch(500)
    accuracy = np.mean(model.predict(xs) == bits)
    assert accuracy == 1.0
    assert history.loss[-20:].mean() < 0.1 * history.loss[:20].mean()


def test_train_follows_a_step_size_schedule():
    """lr may be a function of the update: each update moves the weights by that update's step size."""
    def quadratic(params):
        return lambda step: (float((params["w"] ** 2).sum()), {"w": 2 * params["w"]})

    runs = {}
    for name, lr in [("constant", 0.1), ("schedule", lambda step: 0.1), ("falling", lambda step: 0.1 / (1 + step))]:
        params = {"w": np.array([3.0, -2.0])}
        seen = []
        train(quadratic(params), params, 3, lr=lr if not callable(lr) else (lambda step, f=lr, seen=seen: seen.append(step) or f(step)),
              max_norm=None, progress=False)
        runs[name] = params["w"], seen
    np.testing.assert_array_equal(runs["constant"][0], runs["schedule"][0])  # a constant schedule is the number
    assert runs["schedule"][1] == [0, 0, 1, 2]  # asked for the first step size, then at every update
    # Adam's first steps move each weight by about lr: 0.1 + 0.05 + 0.033 with the falling schedule, 0.3 without
    assert np.all(np.abs(runs["falling"][0] - [3.0, -2.0]) < np.abs(runs["constant"][0] - [3.0, -2.0]))
    with pytest.raises(ValueError, match="lr"):
        train(quadratic({"w": np.ones(2)}), {"w": np.ones(2)}, 2, lr=lambda step: -1.0, progress=False)
