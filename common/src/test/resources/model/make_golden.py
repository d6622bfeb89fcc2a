#!/usr/bin/env python3
"""Golden predictions of heart-python-xgb1.7.json by Python XGBoost, for XgbModelPythonGoldenTest.

The model is /work/shared/bench-ref's reference model:
    make_data.py --rows 10000 --seed 42 && train.py   (binary:logistic, 100 trees, depth 6, hist)
This script scores 300 deterministic rows (make_data.make(300, seed=7)), with NaN (missing) put into
about a third of them, and writes inputs, margins, probabilities and pred_contribs as JSON.
Run with Debian's /usr/bin/python3 (python3-xgboost 1.7.x), from /work/shared/bench-ref:
    PYTHONPATH=/work/shared/bench-ref /usr/bin/python3 make_golden.py
Only its output is used by the build; Python is not a build dependency.
"""
import json
import os

import numpy as np
import xgboost as xgb

from make_data import FEATURES, make

HERE = os.path.dirname(os.path.abspath(__file__))

X = make(300, 7)[FEATURES].to_numpy(dtype=np.float32)
rng = np.random.default_rng(11)
for i in range(0, 300, 3):
    cols = rng.choice(len(FEATURES), size=rng.integers(1, 5), replace=False)
    X[i, cols] = np.nan
X[299, :] = np.nan  # a row with nothing known: every split takes its default branch

bst = xgb.Booster()
bst.load_model(os.path.join(HERE, "heart-python-xgb1.7.json"))
dm = xgb.DMatrix(X, missing=np.nan, feature_names=FEATURES)
prob = bst.predict(dm)
margin = bst.predict(dm, output_margin=True)
contribs = bst.predict(dm, pred_contribs=True)


def f32(v):
    return float(np.float32(v))


golden = {
    "xgboost": xgb.__version__,
    "features": FEATURES,
    "rows": [[None if np.isnan(v) else f32(v) for v in row] for row in X],
    "margin": [f32(v) for v in margin],
    "probability": [f32(v) for v in prob],
    "contributions": [[f32(v) for v in row] for row in contribs],
}
with open(os.path.join(HERE, "heart-python-xgb1.7.golden.json"), "w") as fh:
    json.dump(golden, fh, separators=(",", ":"))
print(f"wrote {len(X)} rows, xgboost {xgb.__version__}")
