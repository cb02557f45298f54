"""lstm_book: the helpers of the book "LSTMs by Hand", beside the engine lstm_lite.

One module per chapter, named like the chapter's notebook (notebooks/NN_name.ipynb -> lstm_book.name; a package for
a chapter of several parts), holding its pictures (`compute(**values) -> result`, the numbers, `draw(result) ->
Figure` and `alt(result) -> str`, each slider picture declared once as a `sliders.SliderPicture`), its experiments
and the checks of its exercises:

    refresher      chapter 1, sigmoid and tanh with a weight and a bias; a gate as a fraction
    feedforward    chapter 2, a Dense net over a sequence and the same sequence shuffled
    rnn            chapter 3, the feedback loop: a one-number RNN and a real RNNCell
    unrolled_rnn   chapter 4, the unrolled RNN and how the first input fades
    lstm_gates     chapter 5, the LSTM cell with each gate by hand, and the country story (a package of four parts)
    sushi_train    chapter 6, the cell state as a conveyor belt
    long_memory    chapter 7, the long-memory experiment: RNN, LSTM and GRU trained on one task
    reading_code   chapter 8, a character LSTM trained on Python code: its memory cells, found and held by hand

and what they share: figures (the palette, figures outside pyplot), sliders (one picture declared once: live in a
notebook and precomputed on the website) and exercises (checks that answer with a sentence).

lstm_book depends on lstm_lite, numpy, matplotlib and ipywidgets; lstm_lite never imports lstm_book.
"""

CHAPTERS = ("refresher", "feedforward", "rnn", "unrolled_rnn", "lstm_gates", "sushi_train", "long_memory",
            "reading_code")
