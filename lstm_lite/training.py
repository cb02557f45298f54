"""Training helpers for the later chapters: two losses with their gradients, gradient-norm clipping, Adam, a
sequence classifier (a recurrent cell with a dense readout of its last hidden state) and a training loop with a
progress bar.

References: Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR (2015);
Pascanu, Mikolov & Bengio, "On the difficulty of training recurrent neural networks", ICML (2013) (clipping).
"""

from dataclasses import dataclass

import numpy as np
from tqdm.auto import tqdm

from ._checks import as_float_array, check_like
from .dense import Dense


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
    logits = as_float_array("logits", logits)
    if logits.ndim != 2:
        raise ValueError(f"logits must have shape (B, K), got {logits.shape}")
    labels = np.asarray(labels)
    B, K = logits.shape
    if labels.shape != (B,) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be {B} integers (shape ({B},)), got {labels.dtype} of shape {labels.shape}")
    if labels.min() < 0 or labels.max() >= K:
        raise ValueError(f"labels must lie in 0..{K - 1}, got values from {labels.min()} to {labels.max()}")
    shifted = logits - logits.max(axis=1, keepdims=True)  # no overflow in exp
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_p[np.arange(B), labels].mean()
    dlogits = np.exp(log_p)
    dlogits[np.arange(B), labels] -= 1.0
    return float(loss), dlogits / B


def mse(pred, target):
    """Mean squared error and its gradient: (mean((pred - target)**2), dpred)."""
    pred = as_float_array("pred", pred)
    target = check_like("target", target, pred.shape)
    diff = pred - target
    return float(np.mean(diff * diff)), 2.0 * diff / diff.size


def clip_grad_norm(grads, max_norm):
    """Scale all gradients together so that their joint L2 norm is at most max_norm.

    Returns (clipped grads as a new dict, the norm before clipping). The direction of the step is kept; only a
    step that would be too long (an exploding gradient) is shortened.
    """
    if not max_norm > 0:
        raise ValueError(f"max_norm must be positive, got {max_norm}")
    norm = float(np.sqrt(sum(np.sum(g * g) for g in grads.values())))
    factor = min(1.0, max_norm / (norm + 1e-12))
    return {name: g * factor for name, g in grads.items()}, norm


class Adam:
    """The Adam optimiser. Updates the arrays of `params` (a dict name -> ndarray) in place.

    m and v are running means of the gradient and of its square; each step moves every parameter by
    lr * m_hat / (sqrt(v_hat) + eps), so each parameter gets a step size of its own.
    """

    def __init__(self, params, lr=1e-2, betas=(0.9, 0.999), eps=1e-8):
        if not lr > 0:
            raise ValueError(f"lr must be positive, got {lr}")
        self.params, self.lr, self.betas, self.eps = params, lr, betas, eps
        self.m = {k: np.zeros_like(p) for k, p in params.items()}
        self.v = {k: np.zeros_like(p) for k, p in params.items()}
        self.t = 0

    def step(self, grads):
        if grads.keys() != self.params.keys():
            raise ValueError(f"grads must have the keys {sorted(self.params)}, got {sorted(grads)}")
        self.t += 1
        b1, b2 = self.betas
        for k, p in self.params.items():
            self.m[k] = b1 * self.m[k] + (1 - b1) * grads[k]
            self.v[k] = b2 * self.v[k] + (1 - b2) * grads[k] ** 2
            m_hat = self.m[k] / (1 - b1**self.t)
            v_hat = self.v[k] / (1 - b2**self.t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


class SequenceClassifier:
    """A recurrent cell (RNNCell, LSTMCell, ...) read out by a Dense layer at the last step.

    logits = readout(h_T), shape (B, n_classes). `params` holds every parameter array by name
    ("cell.weight_ih", ..., "readout.weight", "readout.bias"); they are the model's own arrays.
    """

    def __init__(self, cell, n_classes, seed=0):
        self.cell = cell
        self.readout = Dense(cell.hidden_size, n_classes, seed=seed)
        self.params = {f"cell.{k}": v for k, v in cell.parameters().items()}
        self.params.update({f"readout.{k}": v for k, v in self.readout.parameters().items()})

    def logits(self, xs):
        """xs : (T, B, D) -> logits (B, n_classes)."""
        return self.readout.forward(self.cell.forward(xs).h[-1])

    def predict(self, xs):
        return self.logits(xs).argmax(axis=-1)

    def loss_and_grads(self, xs, labels):
        """Cross-entropy at the last step and the gradient of every parameter (keys as in `params`)."""
        trace = self.cell.forward(xs)
        h_last = trace.h[-1]
        loss, dlogits = cross_entropy(self.readout.forward(h_last), labels)
        g_readout = self.readout.backward(h_last, dlogits)
        dh = np.zeros_like(trace.h)
        dh[-1] = g_readout["x"]
        g_cell = self.cell.backward(trace, dh)
        grads = {f"cell.{k}": g_cell[k] for k in self.cell.parameters()}
        grads.update({f"readout.{k}": g_readout[k] for k in self.readout.parameters()})
        return loss, grads


@dataclass(frozen=True)
class History:
    """The loss and the gradient norm (before clipping) at every training step."""

    loss: np.ndarray
    grad_norm: np.ndarray


def train(loss_and_grads, params, steps, lr=1e-2, max_norm=1.0, progress=True, desc="training"):
    """Train with Adam and gradient clipping.

    Parameters
    ----------
    loss_and_grads : callable(step) -> (loss, grads), grads a dict with the keys of params
    params : dict name -> ndarray, updated in place
    steps : int, the number of updates
    max_norm : float or None, clip the joint gradient norm to this (None: no clipping)
    progress : bool, show a progress bar (tqdm.auto: a widget in a notebook, text in a terminal)

    Returns
    -------
    History with the loss and the gradient norm of every step
    """
    opt = Adam(params, lr=lr)
    losses, norms = np.empty(steps), np.empty(steps)
    bar = tqdm(range(steps), desc=desc, disable=not progress)
    for step in bar:
        loss, grads = loss_and_grads(step)
        if max_norm is None:
            norm = float(np.sqrt(sum(np.sum(g * g) for g in grads.values())))
        else:
            grads, norm = clip_grad_norm(grads, max_norm)
        opt.step(grads)
        losses[step], norms[step] = loss, norm
        if step % 10 == 0:
            bar.set_postfix(loss=f"{loss:.4f}")
    return History(loss=losses, grad_norm=norms)
