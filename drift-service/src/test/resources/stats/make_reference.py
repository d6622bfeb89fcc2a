#!/usr/bin/env python3
"""Writes scipy-reference.json: statistics computed by SciPy/NumPy on small fixed samples, which
StatisticsReferenceTest compares Keel's pure-Java implementations with. Not part of the build:
run it by hand (Debian: apt-get install python3-scipy; /usr/bin/python3 make_reference.py) and
commit the JSON. Binning follows Evidently's get_binned_data; the Z-test is Evidently's formula.
"""
import json
import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance

rng = np.random.default_rng(20240501)


def r(a):
    return [float(x) for x in a]


def evidently_binned(ref, cur, numerical, fill_zeroes):
    ref = np.asarray(ref)
    cur = np.asarray(cur)
    if numerical and len(np.unique(ref)) > 20:
        bins = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        rp = np.histogram(ref, bins)[0] / len(ref)
        cp = np.histogram(cur, bins)[0] / len(cur)
    else:
        keys = sorted(set(ref.tolist()) | set(cur.tolist()))
        rp = np.array([np.sum(ref == k) / len(ref) for k in keys])
        cp = np.array([np.sum(cur == k) / len(cur) for k in keys])
    if fill_zeroes:
        for p in (rp, cp):
            m = min(p[p != 0])
            np.place(p, p == 0, m / 10**6 if m <= 0.0001 else 0.0001)
    return rp, cp


def two_sample(name, a, b, numerical=True):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    case = {"name": name, "reference": r(a), "current": r(b)}
    if numerical:
        ks = stats.ks_2samp(a, b)
        case["ks_statistic"] = float(ks.statistic)
        case["ks_pvalue"] = float(ks.pvalue)
        case["wasserstein"] = float(stats.wasserstein_distance(a, b))
        case["wasserstein_norm"] = float(stats.wasserstein_distance(a, b) / max(np.std(a), 0.001))
    rp, cp = evidently_binned(a, b, numerical, False)
    case["jensenshannon"] = float(distance.jensenshannon(rp, cp))
    rp, cp = evidently_binned(a, b, numerical, True)
    case["psi"] = float(np.sum((rp - cp) * np.log(rp / cp)))
    keys = sorted(set(a.tolist()) | set(b.tolist()))
    f_exp = [np.sum(a == k) * len(b) / len(a) for k in keys]
    f_obs = [np.sum(b == k) for k in keys]
    with np.errstate(divide="ignore", invalid="ignore"):
        chi = stats.chisquare(f_obs, f_exp)
    case["chisquare_statistic"] = float(chi.statistic)
    case["chisquare_pvalue"] = float(chi.pvalue)
    if len(keys) <= 2:
        ra = np.where(a == keys[0], 0, 1)
        cb = np.where(b == keys[0], 0, 1)
        n1, n2 = len(ra), len(cb)
        p1, p2 = ra.sum() / n1, cb.sum() / n2
        pp = (p1 * n1 + p2 * n2) / (n1 + n2)
        z = (p1 - p2) / np.sqrt(pp * (1 - pp) * (1.0 / n1 + 1.0 / n2))
        case["z_statistic"] = float(z)
        case["z_pvalue"] = float(2 * (1 - stats.norm.cdf(np.abs(z))))
    return case


cases = [
    two_sample("normal-20-vs-20-shifted", rng.normal(0, 1, 20).round(4), rng.normal(0.8, 1, 20).round(4)),
    two_sample("normal-30-vs-45-same", rng.normal(5, 2, 30).round(3), rng.normal(5, 2, 45).round(3)),
    two_sample("integers-with-ties-40-vs-25", rng.integers(0, 9, 40), rng.integers(2, 11, 25)),
    two_sample("uniform-200-vs-150-scaled", rng.uniform(0, 10, 200).round(5), rng.uniform(0, 12, 150).round(5)),
    two_sample("lognormal-1000-vs-700", rng.lognormal(1, 0.6, 1000).round(6), rng.lognormal(1.05, 0.6, 700).round(6)),
    two_sample("five-levels-300-vs-200", rng.choice([1, 2, 3, 4, 5], 300, p=[.1, .2, .4, .2, .1]),
               rng.choice([1, 2, 3, 4, 5], 200, p=[.2, .2, .3, .2, .1])),
    two_sample("binary-500-vs-400", rng.choice([0, 1], 500, p=[.7, .3]), rng.choice([0, 1], 400, p=[.6, .4])),
    two_sample("unseen-level-in-current", [1, 1, 2, 2, 2, 3, 3, 3, 3, 1], [1, 2, 3, 4, 4, 2, 3, 3], numerical=False),
]

# The asymptotic branch of ks_2samp (max(n1, n2) > 10,000): kstwo.sf(d, round(n1 n2 / (n1 + n2))).
kstwo = []
for n in [5, 40, 140, 141, 333, 1000, 9091, 50000]:
    for x in [0.001, 0.01, 0.03, 0.05, 0.08, 0.12, 0.2, 0.35, 0.55, 0.8]:
        kstwo.append({"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n))})

ks_asymp = []
for n1, n2, d in [(12000, 900, 0.03), (12000, 900, 0.05), (20000, 1000, 0.02), (1000, 1000000, 0.045),
                  (100000, 1000000, 0.004), (50000, 40000, 0.011)]:
    m, n = sorted([float(n1), float(n2)], reverse=True)
    en = m * n / (m + n)
    ks_asymp.append({"n1": n1, "n2": n2, "d": d, "pvalue": float(stats.kstwo.sf(d, np.round(en)))})

out = {"scipy": scipy.__version__, "numpy": np.__version__, "two_sample": cases, "kstwo_sf": kstwo,
       "ks_asymptotic": ks_asymp}
with open("scipy-reference.json", "w") as f:
    json.dump(out, f, indent=1)
print("wrote", len(cases), "cases")
