"""Training helpers for the later chapters: the cross-entropy loss with its gradient, gradient-norm clipping, Adam, a
sequence classifier (a recurrent cell with a dense readout of its last hidden state), a next-symbol model and the
training loop with a progress bar that chapters 7 and 8 use.

References: Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR (2015);
Pascanu, Mikolov & Bengio, "On the difficulty of training recurrent neural networks", ICML (2013) (clipping).
"""

import numbers
from dataclasses import dataclass

import numpy as np
from tqdm.auto import tqdm

from ._checks import as_float_array, check_size, kept_precision, stream
from ._recurrent import RecurrentCell
from .dense import Dense, Embedding


def cross_entropy(logits, labels):
    """Mean softmax cross-entropy over a batch, and its gradient.

    Parameters
    ----------
    logits : array, shape (B, K), one score per class
    labels : ints, shape (B,), each in 0 .. K-1

    Returns
    -------
    (loss, dlogits) : float, array of shape (B, K)
    """
    logits = as_float_array("logits", logits, kept_precision(logits))
    if logits.ndim != 2 or 0 in logits.shape:
        raise ValueError(f"logits must have shape (B, K) with B, K > 0, got {logits.shape}")
    labels = np.asarray(labels)
    B, K = logits.shape
    if labels.shape != (B,) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be {B} integers (shape ({B},)), got {labels.dtype} of shape {labels.shape}")
    if labels.min() < 0 or labels.max() >= K:
        raise ValueError(f"labels must lie in 0..{K - 1}, got values from {labels.min()} to {labels.max()}")
    shifted = logits - logits.max(axis=1, keepdims=True)  # no overflow in exp
    p = np.exp(shifted)
    total = p.sum(axis=1, keepdims=True)
    loss = np.mean(np.log(total[:, 0]) - shifted[np.arange(B), labels], dtype=np.float64)  # -log p(label)
    p /= total  # the softmax, which is also the gradient ...
    p[np.arange(B), labels] -= 1.0  # ... less 1 at the label
    p /= B
    return float(loss), p


def _gradients(grads, name="grads"):
    """Check a dict of gradients: name -> finite float array. Returns it with float arrays (float32 stays)."""
    if not isinstance(grads, dict) or not grads:
        raise TypeError(f"{name} must be a dict name -> array (as loss_and_grads returns), got {type(grads).__name__}")
    return {k: as_float_array(f"{name}[{k!r}]", g, kept_precision(g)) for k, g in grads.items()}


def _positive(name, value, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (np.isfinite(value) and value > 0):
        expected = "a positive finite number" + (" or None" if allow_none else "")
        raise ValueError(f"{name} must be {expected}, got {value!r}")
    return float(value)


def _grad_norm(grads):
    """The joint L2 norm of finite gradients, sqrt(sum of every entry squared), safe from overflow and underflow."""
    with np.errstate(over="ignore"):
        squares = sum(float(np.sum(g * g)) for g in grads.values())
    if np.isfinite(squares) and squares > 1e-290:  # the plain sum, as everywhere else
        return float(np.sqrt(squares))
    scale = max(float(np.max(np.abs(g))) if g.size else 0.0 for g in grads.values())
    if scale == 0.0:
        return 0.0
    return scale * float(np.sqrt(sum(np.sum((g / scale) ** 2) for g in grads.values())))  # (1e200)^2 overflows


def clip_grad_norm(grads, max_norm):
    """Scale all gradients together so that their joint L2 norm is at most max_norm (None: leave them as they are).

    Returns (clipped grads as a new dict, the norm before clipping). The direction of the step is kept; only a
    step that would be too long (an exploding gradient) is shortened. Gradients holding NaN or inf (a diverged
    training run) raise ValueError.
    """
    max_norm = _positive("max_norm", max_norm, allow_none=True)
    grads = _gradients(grads)
    norm = _grad_norm(grads)
    factor = 1.0 if max_norm is None else min(1.0, max_norm / (norm + 1e-12))
    return {name: g * factor for name, g in grads.items()}, norm


class Adam:
    """The Adam optimiser. Updates the arrays of `params` (a dict name -> ndarray) in place.

    m and v are running means of the gradient and of its square; each step moves every parameter by
    lr * m_hat / (sqrt(v_hat) + eps), so each parameter gets a step size of its own.
    """

    def __init__(self, params, lr=1e-2, betas=(0.9, 0.999), eps=1e-8):
        self.lr = _positive("lr", lr)
        self.eps = _positive("eps", eps)
        try:
            b1, b2 = (float(b) for b in betas)
        except (TypeError, ValueError):
            raise ValueError(f"betas must be two numbers in [0, 1), got {betas!r}") from None
        if not (0 <= b1 < 1 and 0 <= b2 < 1):
            raise ValueError(f"betas must be two numbers in [0, 1), got {betas!r} (at 1 the bias correction divides by 0)")
        self.betas = (b1, b2)
        if not isinstance(params, dict) or not params:
            raise TypeError(f"params must be a dict name -> ndarray (e.g. model.params), got {type(params).__name__}")
        for k, p in params.items():
            if not isinstance(p, np.ndarray) or p.dtype not in (np.float64, np.float32):
                raise TypeError(f"params[{k!r}] must be a float64 (or float32) ndarray, updated in place, got "
                                f"{type(p).__name__}{f' of {p.dtype}' if isinstance(p, np.ndarray) else ''}")
        self.params = params
        self.m, self.v = ({k: np.zeros_like(p) for k, p in params.items()} for _ in range(2))
        self.t = 0

    def step(self, grads):
        """One update of every parameter from `grads` (a dict with the keys and shapes of params, finite)."""
        if not isinstance(grads, dict) or grads.keys() != self.params.keys():
            keys = sorted(grads) if isinstance(grads, dict) else type(grads).__name__
            raise ValueError(f"grads must have the keys {sorted(self.params)}, got {keys}")
        grads = _gradients(grads)
        for k, g in grads.items():
            if g.shape != self.params[k].shape:
                raise ValueError(f"grads[{k!r}] must have the shape of its parameter, {self.params[k].shape}, got {g.shape}")
        (b1, b2), t = self.betas, self.t + 1
        m = {k: b1 * self.m[k] + (1 - b1) * g for k, g in grads.items()}
        v = {k: b2 * self.v[k] + (1 - b2) * g**2 for k, g in grads.items()}
        with np.errstate(over="ignore", invalid="ignore"):  # the step is checked before anything is written
            new = {k: p - self.lr * (m[k] / (1 - b1**t)) / (np.sqrt(v[k] / (1 - b2**t)) + self.eps) for k, p in self.params.items()}
        if not all(np.isfinite(p).all() for p in new.values()):
            raise ValueError(f"with lr={self.lr!r} this step would write inf or NaN into the weights (each step moves a weight by about lr): take a smaller lr")
        for k, p in self.params.items():
            p[...] = new[k]
        self.m, self.v, self.t = m, v, t


class _ReadOut:
    """What both models share: a recurrent cell read out by a Dense layer, and their parameters by name."""

    parts = ("cell", "readout")

    def __init__(self, cell, n_out, seed):
        if not isinstance(cell, RecurrentCell):
            raise TypeError(f"cell must be an RNNCell, LSTMCell or GRUCell, got {type(cell).__name__}")
        self.cell = cell
        # A stream of its own: with the cell's seed itself, the readout's weights would repeat the cell's first ones.
        self.readout = Dense(cell.hidden_size, n_out, seed=stream(seed, 1))

    @property
    def params(self):
        """Every parameter array by name ("cell.weight_ih", ..., "readout.bias"), the model's own arrays, read anew
        each time: a weight assigned to the model later is in it."""
        return {f"{part}.{k}": v for part in self.parts for k, v in getattr(self, part).parameters().items()}


class SequenceClassifier(_ReadOut):
    """A recurrent cell (RNNCell, LSTMCell, ...) read out by a Dense layer at the last step.

    logits = readout(h_T), shape (B, n_classes). `params` holds every parameter array by name.
    """

    def __init__(self, cell, n_classes, seed=0):
        super().__init__(cell, n_classes, seed)

    def _trace(self, xs):
        if np.ndim(xs) == 2:
            raise ValueError(f"xs must be a batch of sequences, shape (T, B, {self.cell.input_size}), got shape "
                             f"{np.shape(xs)}: for one sequence, pass xs[:, None]")
        return self.cell.forward(xs)

    def logits(self, xs):
        """xs : (T, B, D) -> logits (B, n_classes)."""
        return self.readout.forward(self._trace(xs).h[-1])

    def predict(self, xs):
        return self.logits(xs).argmax(axis=-1)

    def loss_and_grads(self, xs, labels):
        """Cross-entropy at the last step and the gradient of every parameter (keys as in `params`)."""
        trace = self._trace(xs)
        h_last = trace.h[-1]
        loss, dlogits = cross_entropy(self.readout.forward(h_last), labels)
        g_readout = self.readout.backward(h_last, dlogits)
        dh = np.zeros_like(trace.h)
        dh[-1] = g_readout["x"]
        g_cell = self.cell.backward(trace, dh)
        grads = {f"cell.{k}": g_cell[k] for k in self.cell.parameters()}
        grads.update({f"readout.{k}": g_readout[k] for k in self.readout.parameters()})
        return loss, grads


class LanguageModel(_ReadOut):
    """Reads a stream of symbols and predicts the next one at every step: an Embedding, a recurrent cell, and a
    Dense readout of every hidden state. logits_t = readout(h_t), h_t = cell(embedding(x_t), h_{t-1}), (T, B, V).

    A long text is read in chunks: `loss_and_grads` returns the state the chunk ended in, to start the next one
    from (truncated backpropagation through time: the state is carried, no error flows back into it).
    """

    def __init__(self, cell, vocab_size, seed=0):
        super().__init__(cell, vocab_size, seed)
        self.embedding = Embedding(vocab_size, cell.input_size, seed=stream(seed, 2))

    parts = ("embedding", "cell", "readout")

    def astype(self, dtype):
        """A copy with every parameter in `dtype` (np.float32 to train fast, np.float64 to read closely)."""
        model = LanguageModel(self.cell.astype(dtype), self.readout.output_size)
        for name, value in self.params.items():
            part, key = name.split(".")
            if part != "cell":
                setattr(getattr(model, part), key, value.astype(dtype))  # a dtype cell.astype took
        return model

    def forward(self, symbols, state=None, **by_hand):
        """symbols : ints (T, B); state : the dict a previous chunk returned, or None (zeros); by_hand : gates set
        by hand, passed to the cell. Returns (the cell's trace, logits (T, B, V))."""
        trace = self.cell.forward(self.embedding.forward(symbols), **(state or {}), **by_hand)
        return trace, self.readout.forward(trace.h)

    def loss_and_grads(self, symbols, targets, state=None):
        """Mean cross-entropy of the next symbol over every step of every stream, the gradient of every parameter
        (keys as in `params`) and the state to carry on from: dict h0 (and c0 for an LSTM), (B, H)."""
        if np.shape(targets) != np.shape(symbols):  # before the forward pass: no work for an answer that cannot be
            raise ValueError(f"targets must have the shape of symbols, {np.shape(symbols)}, got {np.shape(targets)}")
        trace, logits = self.forward(symbols, state)
        loss, dlogits = cross_entropy(logits.reshape(-1, logits.shape[-1]), np.asarray(targets).reshape(-1))
        g_readout = self.readout.backward(trace.h, dlogits.reshape(logits.shape))
        g_cell = self.cell.backward(trace, g_readout["x"])
        grads = {"embedding.weight": self.embedding.backward(symbols, g_cell["x"])["weight"]}
        grads.update({f"cell.{k}": g_cell[k] for k in self.cell.parameters()})
        grads.update({f"readout.{k}": g_readout[k] for k in self.readout.parameters()})
        carried = {"h0": trace.h[-1]} | ({"c0": trace.c[-1]} if hasattr(trace, "c") else {})
        return loss, grads, carried


@dataclass(frozen=True)
class History:
    """The loss and the gradient norm (before clipping) of every update made."""

    loss: np.ndarray
    grad_norm: np.ndarray


def train(loss_and_grads, params, steps, lr=1e-2, max_norm=1.0, progress=True, desc="training", check=None,
          check_every=25):
    """Train with Adam and gradient clipping: the training loop of chapters 7 and 8.

    Parameters
    ----------
    loss_and_grads : callable(step) -> (loss, grads), grads a dict with the keys of params; (loss, grads, state), as
        a LanguageModel's, is taken too (a caller that carries the state keeps it itself)
    params : dict name -> ndarray, updated in place
    steps : int, the most updates to make
    lr : the step size, a number, or callable(step) -> number: a schedule (chapter 8's falls along a cosine)
    max_norm : float or None, clip the joint gradient norm to this (None: no clipping)
    progress : True: a progress bar (tqdm.auto: a widget in a notebook, text in a terminal); False: none; or a bar
        of the caller's (anything with update()), advanced once per update
    check : None, or callable(updates) -> bool, called after every check_every-th update and after the last:
        True stops the training (a task solved)

    Returns
    -------
    History with the loss and the gradient norm of every update made
    """
    if not callable(loss_and_grads):
        raise TypeError(f"loss_and_grads must be a function step -> (loss, grads), got {type(loss_and_grads).__name__}")
    if check is not None and not callable(check):
        raise TypeError(f"check must be None or a function updates -> bool, got {type(check).__name__}")
    schedule = lr if callable(lr) else None
    opt, every = Adam(params, lr=lr(0) if schedule else lr), check_size("check_every", check_every)
    losses, norms = np.empty(check_size("steps", steps)), np.empty(steps)
    own = isinstance(progress, bool)
    if not own and not callable(getattr(progress, "update", None)):
        raise TypeError(f"progress must be True, False or a progress bar (with update()), got {type(progress).__name__}")
    bar = tqdm(total=steps, desc=desc, disable=not progress) if own else progress
    step = 0
    while step < steps:
        result = loss_and_grads(step)
        if not isinstance(result, tuple) or len(result) not in (2, 3):
            raise TypeError("loss_and_grads(step) must return (loss, grads), or (loss, grads, state) as a LanguageModel's does, "
                            f"got {type(result).__name__}" + (f" of length {len(result)}" if isinstance(result, tuple) else ""))
        loss, grads = result[:2]
        if isinstance(loss, bool) or not isinstance(loss, numbers.Real) or not np.isfinite(loss):
            raise ValueError(f"the loss at step {step} must be a finite number, got {loss!r} (diverged? try a smaller lr)")
        grads, norm = clip_grad_norm(grads, max_norm)
        if schedule:
            opt.lr = _positive("lr", schedule(step))
        opt.step(grads)
        losses[step], norms[step] = loss, norm
        step += 1
        bar.update()
        if own and step % 10 == 1:
            bar.set_postfix(loss=f"{loss:.4f}")
        if check is not None and (step % every == 0 or step == steps) and check(step):
            break
    if own:
        bar.close()
    return History(loss=losses[:step], grad_norm=norms[:step])
