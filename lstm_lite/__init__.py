"""lstm_lite: a tiny numpy RNN and LSTM, held to PyTorch, for the book "LSTMs by Hand".

One shape convention everywhere, time-major as in PyTorch:
    one sequence   xs (T, D)       states (T, H)
    a batch        xs (T, B, D)    states (T, B, H)
T time steps, B sequences, D input features, H hidden units (memory cells).

Parameters use PyTorch's names and layout (weight_ih, weight_hh, bias_ih, bias_hh; LSTM gates stacked
input, forget, candidate, output), so weights move either way with from_torch / to_torch.

Every cell has `step(x, h[, c])`, one step written as its equations read (chapter 5 shows it), `forward(xs)`, the
same numbers for a whole sequence, fast, and `backward(trace, dh)`; the tests hold each to the other and to PyTorch.

Modules: activations (sigmoid, tanh), dense (Dense, Embedding), rnn (RNNCell), lstm (LSTMCell), gru (GRUCell), training (cross-entropy,
clipping, Adam, a classifier, a next-symbol model and the training loop). Needs numpy and tqdm only. The book's pictures, sliders, experiments
and exercise checks are the package lstm_book, beside this one, which imports lstm_lite (never the other way).
"""

from .activations import sigmoid, tanh
from .dense import Dense, Embedding
from .gru import GRUCell, GRUStep, GRUTrace
from .lstm import LSTMCell, LSTMStep, LSTMTrace
from .rnn import RNNCell, RNNTrace
from .training import Adam, History, LanguageModel, SequenceClassifier, clip_grad_norm, cross_entropy, train

__all__ = [
    "sigmoid", "tanh", "Dense", "Embedding", "RNNCell", "RNNTrace", "LSTMCell", "LSTMStep", "LSTMTrace",
    "GRUCell", "GRUStep", "GRUTrace",
    "cross_entropy", "clip_grad_norm", "Adam", "SequenceClassifier", "LanguageModel", "History", "train",
]
