#!/usr/bin/env python3
"""Replays a Keel training run's search with the seeds' Python stack (xgboost + scikit-learn).

Every candidate the run recorded is cross-validated again with the same XGBoost parameters, the
same number of folds and the same thread count, on the same CSV (downloaded from the run's
dataset): a stratified 80/20 train/test split, then stratified k-fold CV on the training rows, each
fold one xgb.train + predict, F1 at 0.5. Only the fits and predictions are timed, as Keel's
per-candidate duration_ms times only its fits and predictions.

usage: replay_cv.py --run run.json --csv data.csv [--threads 2] [--seed 42] [--every K]
(--every K replays candidates 1, K+1, 2K+1, ...: with the families interleaved and K=3 that is
every family at several grid points, at a third of the cost.)
Prints one line per candidate and a JSON summary line last.
"""
import argparse
import json
import time

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, train_test_split


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", required=True, help="GET /api/v1/training-runs/{id} saved as JSON")
    ap.add_argument("--csv", required=True, help="GET /api/v1/datasets/{id}/content saved as CSV")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--every", type=int, default=1)
    a = ap.parse_args()

    run = json.load(open(a.run))
    space = run["search_space"]
    folds, test_fraction = int(space["folds"]), float(space["test_fraction"])
    df = pd.read_csv(a.csv)
    X = df.drop(columns=["target"]).to_numpy(dtype=np.float32)
    y = df["target"].to_numpy()
    Xtr, _, ytr, _ = train_test_split(X, y, test_size=test_fraction, random_state=a.seed, stratify=y)
    splits = list(StratifiedKFold(n_splits=folds, shuffle=True, random_state=a.seed).split(Xtr, ytr))
    # matrices built once and shared by every candidate, as Keel does
    mats = [(xgb.DMatrix(Xtr[tr], label=ytr[tr]), xgb.DMatrix(Xtr[va]), ytr[va]) for tr, va in splits]

    total = 0.0
    keel_ms = 0
    per_family = {}
    fits = 0
    replayed = [c for c in run["candidates"] if c["index"] % a.every == 0]
    for c in replayed:
        params = dict(c["params"])
        rounds = int(params.pop("num_boost_round"))
        params.update({"objective": "binary:logistic", "eval_metric": "logloss", "seed": a.seed,
                       "nthread": a.threads, "verbosity": 0})
        f1s = []
        t0 = time.perf_counter()
        for dtr, dva, yva in mats:
            bst = xgb.train(params, dtr, num_boost_round=rounds)
            p = bst.predict(dva)
            f1s.append(f1_score(yva, (p >= 0.5).astype(int)))
            fits += 1
        dt = time.perf_counter() - t0
        total += dt
        keel_ms += c["duration_ms"]
        per_family.setdefault(c["family"], []).append(dt)
        print(f"  python #{c['index'] + 1:2d} {c['family']:20s} {dt * 1000:8.0f} ms  mean F1 {np.mean(f1s):.4f}"
              f"  (keel {c['duration_ms']:6d} ms, F1 {c['mean_f1']:.4f})", flush=True)
    print(json.dumps({"xgboost": xgb.__version__, "candidates": len(replayed), "folds": folds,
                      "fits": fits, "cv_seconds": round(total, 3), "keel_cv_seconds": keel_ms / 1000,
                      "per_family_mean_ms": {k: round(1000 * sum(v) / len(v)) for k, v in per_family.items()}}))


if __name__ == "__main__":
    main()
