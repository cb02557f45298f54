"""Chapter 5: the LSTM's gates, in four parts.

* `gates`: a small LSTMCell (1 input, 3 memory cells) over a short sequence, with any gate (and the candidate)
  forced by hand or left computed (`gates_compute` / `gates_draw`, and `candidate_draw` for the candidate and the
  output gate): the slider pictures GATES (a static twin, and live) and CANDIDATE (a static twin);
* `walk`: the cell as a diagram (`lstm_diagram`), its four parts named as in the code: forget gate f, input gate i,
  candidate g (a tanh), output gate o; and one step walked through on it, part by part, with the numbers of
  memory cell 1 of the small cell on the wires (`walk_values`, `walk_draw`): the slider picture WALK;
* `country`: the country story (`country_cell`, `country_sentence`, `country_draw`): an LSTM with hand-set weights
  that forgets the old country exactly when a new one appears, so the language it points to at "speak" changes too;
* `exercises`: the checks of the chapter's exercises (see lstm_book.exercises).

What the chapter's notebook and its tests use is exported here, so `from lstm_book.lstm_gates import ...` reads the
whole chapter.

References: Olah, "Understanding LSTM Networks" (2015) for the drawing; Gers et al. (2000) for the forget gate.
"""

from ..figures import GATE_COLORS
from .country import (
    COUNTRY_FEATURES,
    COUNTRY_SENTENCE,
    LANGUAGES,
    TIE,
    country_cell,
    country_compute,
    country_draw,
    country_sentence,
    spoken_language,
)
from .exercises import COUNT_KEYS, counting_run, counting_sequence
from .gates import (
    C_LIMIT,
    CANDIDATE,
    CANDIDATE_C_LIMIT,
    CANDIDATE_CHOICES,
    CELL_STYLES,
    DEMO_C0,
    GATE_CHOICES,
    GATE_NAMES,
    GATES,
    INPUT_CHOICES,
    OUTPUT_CHOICES,
    candidate_alt,
    candidate_draw,
    gate_demo_cell,
    gate_demo_inputs,
    gates_alt,
    gates_compute,
    gates_draw,
    gates_update,
)
from .walk import (
    WALK,
    WALK_SHOWN_FROM,
    WALK_STAGES,
    lstm_diagram,
    walk_alt,
    walk_compute,
    walk_draw,
    walk_sentence,
    walk_values,
)

__all__ = [
    "GATE_COLORS",
    # the gate pictures
    "DEMO_C0", "GATE_CHOICES", "INPUT_CHOICES", "CANDIDATE_CHOICES", "OUTPUT_CHOICES", "C_LIMIT", "CANDIDATE_C_LIMIT",
    "CELL_STYLES", "GATE_NAMES", "gate_demo_cell", "gate_demo_inputs", "gates_compute", "gates_draw", "gates_update",
    "gates_alt", "candidate_draw", "candidate_alt", "GATES", "CANDIDATE",
    # the walk-through
    "WALK_STAGES", "WALK_SHOWN_FROM", "walk_values", "walk_sentence", "walk_compute", "walk_alt", "walk_draw", "WALK",
    "lstm_diagram",
    # the country story
    "COUNTRY_SENTENCE", "COUNTRY_FEATURES", "LANGUAGES", "TIE", "country_sentence", "country_cell", "country_compute",
    "spoken_language", "country_draw",
    # the exercises
    "COUNT_KEYS", "counting_sequence", "counting_run",
]
