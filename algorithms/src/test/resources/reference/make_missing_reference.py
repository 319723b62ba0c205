#!/usr/bin/python3
"""Generate the reference for EM with values missing at random (MixSpark's missing-value path).

Run from the repository root (needs Debian's python3-numpy; made with numpy 1.24.2):

    /usr/bin/python3 algorithms/src/test/resources/reference/make_missing_reference.py

Reads, relative to algorithms/src/test/resources/:
  datasets/{iris,wine,breast_cancer}.csv  features, then an integer `label` column
  reference/em_{iris,wine,breast_cancer}.json
      the `initial` model of each covariance type (scikit-learn's start on the complete data,
      made by make_sklearn_reference.py)
and rewrites reference/em_missing_{iris,wine,breast_cancer}.json.gz (gzipped JSON).

For each dataset and each missing fraction p in FRACTIONS, with the seed SEEDS[(dataset, p)],
every feature value is removed independently with probability p:

    missing = numpy.random.default_rng(seed).random((rows, d)) < p

(fraction 0.0 removes nothing: it checks this script against the complete-data EM that MixSpark
already has). A row may lose every feature; it stays in the data and is skipped by EM (it adds
nothing to any statistic, nor to the total weight). Then, for each covariance type, 20 iterations
of exact EM with missing values (Ghahramani & Jordan 1994; Little & Rubin, ch. 8 and 11) run from
that initial model, written plainly row by row with numpy.linalg solves.

Iterations are numbered as MixSpark's EmFitter and scikit-learn's lower bound number them:
iteration j evaluates the mixture after j - 1 updates. So meanLogLikelihood[j - 1] is the mean
observed-data log-likelihood of the mixture after j - 1 updates (initial model for j = 1), and
updates[j - 1] is the mixture after j updates, which EmFitter returns with tol 0 and maxIter j;
finalMeanLogLikelihood is the mean log-likelihood of updates[19] (EmResult.meanLogLikelihood()
of that fit). The mean is the log-likelihood sum over the rows taking part divided by their
number (every row weighs 1).

JSON layout of em_missing_NAME.json (no value is rounded; floats are written as Python's repr):
  dataset, script, numpyVersion, generated (date), k, regCovar, iterations, rows, d,
  missingEncoding (text), fractions: a list, one object per fraction:
    fraction, seed, missingCells, skippedRows (rows with every feature missing),
    missing: one list per row of the 0-based feature columns missing in that row (row order
             and column order of datasets/NAME.csv; [] for a complete row),
    cases: {full, diag, spherical, tied}, each
      initial                 model (as in em_NAME.json)
      meanLogLikelihood       20 values, iteration 1..20
      updates                 20 models, after update 1..20
      finalMeanLogLikelihood  mean log-likelihood of updates[19]
  A model is {weights: [k], means: [k][d], covariances: [k][d][d]}: full matrices whatever the
  type (diagonal for diag, a multiple of I for spherical, k equal copies for tied).
"""
import datetime
import gzip
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
RES = os.path.dirname(HERE)                                  # src/test/resources
DATASETS = ["iris", "wine", "breast_cancer"]
TYPES = ["full", "diag", "spherical", "tied"]
FRACTIONS = [0.0, 0.1, 0.3, 0.5]
SEEDS = {
    ("iris", 0.0): 0, ("iris", 0.1): 20261101, ("iris", 0.3): 20261103, ("iris", 0.5): 20261105,
    ("wine", 0.0): 0, ("wine", 0.1): 20261201, ("wine", 0.3): 20261203, ("wine", 0.5): 20261205,
    ("breast_cancer", 0.0): 0, ("breast_cancer", 0.1): 20261301, ("breast_cancer", 0.3): 20261303,
    ("breast_cancer", 0.5): 20261305,
}
K, REG, ITERS = 3, 1e-6, 20
EMPTY_COMPONENT_SHARE = 1e-12                                # MStep drops a lighter component


def read_csv(path):
    """Features (float) and labels (int) of a dataset CSV whose last column is `label`."""
    with open(path) as f:
        header = f.readline().strip().split(",")
        assert header[-1] == "label", header
        rows = [line.strip().split(",") for line in f if line.strip()]
    X = np.array([[float(v) for v in r[:-1]] for r in rows])
    y = np.array([int(r[-1]) for r in rows])
    return X, y


def read_model(node):
    return (np.array(node["weights"], dtype=float), np.array(node["means"], dtype=float),
            np.array(node["covariances"], dtype=float))


def model_json(weights, means, covs):
    return {"weights": weights.tolist(), "means": means.tolist(), "covariances": covs.tolist()}


def log_gaussian(x, mu, S):
    """log N(x; mu, S) for a vector x of the observed coordinates."""
    r = x - mu
    sign, logdet = np.linalg.slogdet(S)
    assert sign > 0, "covariance block not positive definite"
    return -0.5 * (len(x) * np.log(2 * np.pi) + logdet + r @ np.linalg.solve(S, r))


def log_sum_exp(a):
    m = np.max(a)
    return m + np.log(np.sum(np.exp(a - m)))


def em_iteration(X, missing, weights, means, covs, ctype):
    """One E-step of the given mixture and the M-step after it.

    Returns (mean observed-data log-likelihood of the given mixture, updated mixture)."""
    n, d = X.shape
    k = len(weights)
    w = np.ones(n)                                           # row weights
    resp = np.zeros((n, k))                                  # r_ik (0 for a skipped row)
    xhat = np.zeros((n, k, d))                               # expected complete row under c
    cond = np.zeros((n, k, d, d))                            # C_ik, zero outside the mm block
    total_ll, total_w = 0.0, 0.0
    for i in range(n):
        o = np.flatnonzero(~missing[i])
        m = np.flatnonzero(missing[i])
        if len(o) == 0:
            continue                                         # nothing observed: skipped
        x_o = X[i, o]
        log_p = np.empty(k)
        for c in range(k):
            log_p[c] = np.log(weights[c]) + log_gaussian(x_o, means[c][o], covs[c][np.ix_(o, o)])
        row_ll = log_sum_exp(log_p)
        resp[i] = np.exp(log_p - row_ll)
        total_ll += w[i] * row_ll
        total_w += w[i]
        for c in range(k):
            mu, S = means[c], covs[c]
            xhat[i, c] = X[i]
            if len(m):
                S_oo = S[np.ix_(o, o)]
                S_mo = S[np.ix_(m, o)]
                xhat[i, c, m] = mu[m] + S_mo @ np.linalg.solve(S_oo, x_o - mu[o])
                cond[i, c][np.ix_(m, m)] = S[np.ix_(m, m)] - S_mo @ np.linalg.solve(S_oo, S_mo.T)
    mean_ll = total_ll / total_w
    count = np.zeros(k)                                      # N_k
    new_means = np.zeros((k, d))
    scatter = np.zeros((k, d, d))
    for c in range(k):
        for i in range(n):
            count[c] += w[i] * resp[i, c]
            new_means[c] += w[i] * resp[i, c] * xhat[i, c]
        new_means[c] /= count[c]
        for i in range(n):
            r = xhat[i, c] - new_means[c]
            scatter[c] += w[i] * resp[i, c] * (np.outer(r, r) + cond[i, c])
    assert np.all(count > EMPTY_COMPONENT_SHARE * count.sum()), ("a component lost its mass", count)
    new_weights = count / count.sum()
    scatter = (scatter + scatter.transpose(0, 2, 1)) / 2     # C_ik may be asymmetric by rounding
    eye = np.eye(d)
    if ctype == "full":
        new_covs = np.array([scatter[c] / count[c] + REG * eye for c in range(k)])
    elif ctype == "tied":
        shared = scatter.sum(axis=0) / count.sum() + REG * eye
        new_covs = np.array([shared for _ in range(k)])
    elif ctype == "diag":
        new_covs = np.array([np.diag(np.diag(scatter[c]) / count[c] + REG) for c in range(k)])
    else:                                                    # spherical
        new_covs = np.array([np.mean(np.diag(scatter[c]) / count[c] + REG) * eye for c in range(k)])
    return mean_ll, (new_weights, new_means, new_covs)


def write_json(path, obj):
    """JSON with every list of numbers on one line (a matrix row per line), nested lists indented."""
    def emit(v, indent):
        pad, inner = " " * indent, " " * (indent + 1)
        if isinstance(v, dict):
            items = [f"{inner}{json.dumps(key)}: {emit(val, indent + 1)}" for key, val in v.items()]
            return "{\n" + ",\n".join(items) + "\n" + pad + "}"
        if isinstance(v, list):
            if all(not isinstance(e, (dict, list)) for e in v):
                return "[" + ",".join(json.dumps(e) for e in v) + "]"
            return "[\n" + ",\n".join(inner + emit(e, indent + 1) for e in v) + "\n" + pad + "]"
        return json.dumps(v)
    text = emit(obj, 0) + "\n"
    assert json.loads(text) == obj
    # gzip without a timestamp, so the same numbers give the same bytes.
    with gzip.GzipFile(path, "wb", compresslevel=9, mtime=0) as f:
        f.write(text.encode("utf-8"))


def main():
    generated = datetime.date.today().isoformat()
    for name in DATASETS:
        X, _ = read_csv(os.path.join(RES, "datasets", f"{name}.csv"))
        n, d = X.shape
        with open(os.path.join(HERE, f"em_{name}.json")) as f:
            complete = json.load(f)
        assert complete["k"] == K and complete["regCovar"] == REG
        out = {"dataset": name, "script": "make_missing_reference.py", "numpyVersion": np.__version__,
               "generated": generated, "k": K, "regCovar": REG, "iterations": ITERS, "rows": n, "d": d,
               "missingEncoding": "missing[i] lists the 0-based feature columns missing in row i of "
                                  f"datasets/{name}.csv; removed with numpy.random.default_rng(seed)"
                                  ".random((rows, d)) < fraction",
               "fractions": []}
        for fraction in FRACTIONS:
            seed = SEEDS[(name, fraction)]
            missing = np.random.default_rng(seed).random((n, d)) < fraction
            skipped = int(np.sum(missing.all(axis=1)))
            entry = {"fraction": fraction, "seed": seed, "missingCells": int(missing.sum()),
                     "skippedRows": skipped,
                     "missing": [np.flatnonzero(row).tolist() for row in missing], "cases": {}}
            for ctype in TYPES:
                initial = complete["cases"][ctype]["initial"]
                model = read_model(initial)
                lls, updates = [], []
                for _ in range(ITERS):
                    ll, model = em_iteration(X, missing, *model, ctype)
                    lls.append(float(ll))
                    updates.append(model_json(*model))
                final_ll, _ = em_iteration(X, missing, *model, ctype)
                lls.append(float(final_ll))
                for a, b in zip(lls, lls[1:]):               # EM never lowers the likelihood
                    assert b >= a - 1e-9 * abs(a), (name, fraction, ctype, a, b)
                if fraction == 0.0:                          # the complete-data EM of em_NAME.json
                    ref = complete["cases"][ctype]["meanLogLikelihood"]
                    worst = max(abs(a - b) / abs(b) for a, b in zip(lls, ref))
                    assert worst < 1e-8, (name, ctype, worst)
                print(f"{name} p={fraction} {ctype}: skipped {skipped}, meanLogLikelihood "
                      f"{lls[0]:.10g} -> {lls[ITERS - 1]:.10g} (final {lls[ITERS]:.10g})")
                entry["cases"][ctype] = {"initial": initial, "meanLogLikelihood": lls[:ITERS],
                                         "updates": updates, "finalMeanLogLikelihood": lls[ITERS]}
            out["fractions"].append(entry)
        write_json(os.path.join(HERE, f"em_missing_{name}.json.gz"), out)


if __name__ == "__main__":
    main()
