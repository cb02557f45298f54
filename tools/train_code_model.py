"""Train chapter 8's character LSTM on the standard-library corpus and ship it as lstm_book/data/code_lstm.npz.

    make train-code          (or: .venv/bin/python tools/train_code_model.py [--updates N] [--out PATH])

About 13 minutes on two cores, float32 (lstm_lite's LanguageModel; see lstm_book.reading_code.TrainingSetup for every
setting). The file is a plain .npz, loaded with allow_pickle=False, in PyTorch's layout:

    weight_ih (4H, E), weight_hh (4H, H), bias_ih (4H,), bias_hh (4H,)   the LSTM, gates in the order i, f, g, o
    embedding (V, E), readout_weight (V, H), readout_bias (V,)
    vocab (V,)          the V characters, one per row, in index order
    loss (updates,)     the training loss of every update, nats per character
    provenance ()       JSON: the setup, the corpus's Python, the commit, the machine, the time it took
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "2")  # two cores, before numpy loads its thread pool: 176 ms an update, not 241

import argparse
import dataclasses
import platform
import subprocess
import time
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from lstm_book.reading_code import MODEL_FILE, TrainingSetup, corpus_manifest, save_model, train_code_model

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=TrainingSetup.updates)
    parser.add_argument("--out", type=Path, default=ROOT / "lstm_book" / "data" / MODEL_FILE)
    args = parser.parse_args()
    setup = dataclasses.replace(TrainingSetup(), updates=args.updates)
    start = time.perf_counter()
    with tqdm(total=setup.updates, desc="training", unit="update") as bar:
        model, vocab, losses = train_code_model(setup, progress=bar)
    seconds = time.perf_counter() - start
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    provenance = {
        "setup": dataclasses.asdict(setup), "corpus_python": corpus_manifest()["python"],
        "commit": commit.strip() or "unknown", "command": "make train-code", "seconds": round(seconds, 1),
        "threads": int(os.environ["OPENBLAS_NUM_THREADS"]),
        "date": time.strftime("%Y-%m-%d"), "python": platform.python_version(), "numpy": np.__version__,
        "machine": platform.processor() or platform.machine(),
    }
    save_model(args.out, model, vocab, losses, provenance)
    print(f"{setup.updates} updates in {seconds:.0f} s; last 100 updates' loss {losses[-100:].mean() / np.log(2):.2f} "
          f"bits per character -> {args.out}")


if __name__ == "__main__":
    main()
