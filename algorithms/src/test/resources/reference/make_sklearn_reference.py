#!/usr/bin/python3
"""Generate scikit-learn reference data for the MixSpark tests.

Run from the repository root (needs Debian's python3 with scikit-learn 1.2.1):

    /usr/bin/python3 algorithms/src/test/resources/reference/make_sklearn_reference.py

Deterministic; rewrites, relative to algorithms/src/test/resources/:
  datasets/{iris,wine,breast_cancer}.csv  features (repr floats) + integer `label`
  datasets/synthetic_bic.csv              known 4-component full-covariance mixture in 3-d
  reference/em_{iris,wine,breast_cancer}.json
      per covariance type: initial model (from KMeans hard labels), mean
      log-likelihood of 20 EM iterations, final model; best-of-10-restarts score
  reference/bic_selection.json            BIC for K = 1..8 x 4 covariance types
  reference/clustering_metrics.json       ARI, NMI and misclustering-rate cases
and data/iris.csv (label column `species` with the class names).
"""
import json
import os
import re
import warnings

import numpy as np
import sklearn
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.datasets import load_breast_cancer, load_iris, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.metrics.cluster import contingency_matrix
from sklearn.mixture import GaussianMixture
from sklearn.mixture._gaussian_mixture import _estimate_gaussian_parameters

HERE = os.path.dirname(os.path.abspath(__file__))
RES = os.path.dirname(HERE)                                  # src/test/resources
REPO = os.path.abspath(os.path.join(RES, "..", "..", "..", ".."))
TYPES = ["full", "diag", "spherical", "tied"]
K, REG, ITERS = 3, 1e-6, 20
warnings.simplefilter("ignore", ConvergenceWarning)


def column_name(name):
    return re.sub(r"_+", "_", re.sub(r"[^a-z0-9]", "_", name.lower())).strip("_")


def write_csv(path, header, X, labels):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for row, lab in zip(X, labels):
            f.write(",".join(repr(float(v)) for v in row) + "," + str(lab) + "\n")


def write_json(name, obj):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


def full_covariances(cov, ctype, k, d):
    """Expand sklearn's covariance array for `ctype` to k full d x d matrices."""
    if ctype == "full":
        return np.asarray(cov)
    if ctype == "tied":
        return np.repeat(cov[None, :, :], k, axis=0)
    if ctype == "diag":
        return np.array([np.diag(c) for c in cov])
    return np.array([c * np.eye(d) for c in cov])              # spherical


def model(weights, means, cov, ctype):
    k, d = means.shape
    return {"weights": weights.tolist(), "means": means.tolist(),
            "covariances": full_covariances(cov, ctype, k, d).tolist()}


def em_reference(name, X):
    n, d = X.shape
    labels = KMeans(n_clusters=K, n_init=1, random_state=0).fit(X).labels_
    resp = np.eye(K)[labels]
    out = {"dataset": name, "sklearnVersion": sklearn.__version__, "k": K,
           "regCovar": REG, "iterations": ITERS, "cases": {}}
    for t in TYPES:
        nk, means, cov = _estimate_gaussian_parameters(X, resp, REG, t)
        weights = nk / n
        if t == "full":
            prec = np.array([np.linalg.inv(c) for c in cov])
            prec = (prec + prec.transpose(0, 2, 1)) / 2
        elif t == "tied":
            prec = np.linalg.inv(cov)
            prec = (prec + prec.T) / 2
        else:
            prec = 1.0 / cov
        gm = GaussianMixture(n_components=K, covariance_type=t, reg_covar=REG,
                             weights_init=weights, means_init=means, precisions_init=prec,
                             max_iter=1, warm_start=True, tol=0, random_state=0)
        lls = []
        for _ in range(ITERS):
            gm.fit(X)
            lls.append(float(gm.lower_bound_))
        for a, b in zip(lls, lls[1:]):
            assert b >= a - 1e-12 * abs(a), (name, t, a, b)
        print(f"{name}/{t}: meanLogLikelihood {lls}")
        out["cases"][t] = {"initial": model(weights, means, cov, t),
                           "meanLogLikelihood": lls,
                           "final": model(gm.weights_, gm.means_, gm.covariances_, t)}
    best = {}
    for t in TYPES:
        gm = GaussianMixture(n_components=K, covariance_type=t, n_init=10, random_state=0,
                             tol=1e-6, max_iter=1000, reg_covar=REG).fit(X)
        best[t] = float(gm.score(X))
    print(f"{name}: bestOfRestarts {best}")
    out["bestOfRestarts"] = {"nInit": 10, "tol": 1e-6, "maxIter": 1000, "meanLogLikelihood": best}
    write_json(f"em_{name}.json", out)


def synthetic_bic():
    rng = np.random.default_rng(20261123)
    weights = [0.4, 0.3, 0.2, 0.1]
    means = np.array([[0.0, 0.0, 0.0], [12.0, 0.0, 0.0], [0.0, 12.0, 0.0], [0.0, 0.0, 12.0]])
    scales = np.array([[2.0, 0.8, 0.3], [1.5, 1.0, 0.4], [2.2, 0.5, 0.5], [1.2, 0.9, 0.2]])
    counts = [int(round(w * 1500)) for w in weights]
    X, y = [], []
    for j in range(4):
        q, _ = np.linalg.qr(rng.normal(size=(3, 3)))            # random rotation
        cov = q @ np.diag(scales[j] ** 2) @ q.T
        X.append(rng.multivariate_normal(means[j], cov, size=counts[j]))
        y += [j] * counts[j]
    perm = rng.permutation(sum(counts))
    X, y = np.vstack(X)[perm], np.array(y)[perm]
    write_csv(os.path.join(RES, "datasets", "synthetic_bic.csv"), ["x1", "x2", "x3", "label"], X, y)
    rows = []
    for k in range(1, 9):
        for t in TYPES:
            gm = GaussianMixture(n_components=k, covariance_type=t, n_init=5, random_state=0,
                                 reg_covar=REG, tol=1e-6, max_iter=1000).fit(X)
            rows.append({"k": k, "covarianceType": t, "bic": float(gm.bic(X)),
                         "meanLogLikelihood": float(gm.score(X))})
    ranked = sorted(rows, key=lambda r: r["bic"])
    chosen = {"k": ranked[0]["k"], "covarianceType": ranked[0]["covarianceType"]}
    assert chosen == {"k": 4, "covarianceType": "full"}, ranked[:3]
    print(f"BIC chosen {chosen}; runner-up {ranked[1]['k']}/{ranked[1]['covarianceType']} "
          f"worse by {ranked[1]['bic'] - ranked[0]['bic']:.3f}")
    write_json("bic_selection.json", {"dataset": "synthetic_bic.csv", "trueK": 4,
                                      "bic": rows, "chosen": chosen})


def misclustering_rate(a, b):
    c = contingency_matrix(a, b)
    r, s = linear_sum_assignment(c, maximize=True)
    return 1.0 - c[r, s].sum() / len(a)


def clustering_metrics(iris_X, iris_y):
    rng = np.random.default_rng(7)
    true5 = [0] * 10 + [1] * 8 + [2] * 6 + [3] * 4 + [4] * 2
    pred2 = [0] * 10 + [1] * 8 + [0] * 6 + [1] * 3 + [0] * 1 + [1] * 2
    noisy = iris_y.copy()
    flip = rng.choice(150, size=30, replace=False)
    noisy[flip] = rng.integers(0, 3, size=30)
    cases = [
        ("identical", [0, 0, 1, 1, 2, 2, 2], [0, 0, 1, 1, 2, 2, 2]),
        ("permuted", [0, 0, 1, 1, 2, 2, 2], [2, 2, 0, 0, 1, 1, 1]),
        ("random_3_vs_4", rng.integers(0, 3, 200), rng.integers(0, 4, 200)),
        ("all_in_one_prediction", iris_y, np.zeros(150, dtype=int)),
        ("length_one", [0], [0]),
        ("five_true_vs_two_predicted", true5, pred2),
        ("iris_noisy_copy", iris_y, noisy),
        ("iris_vs_kmeans", iris_y, KMeans(n_clusters=3, random_state=0, n_init=1).fit(iris_X).labels_),
    ]
    out = []
    for name, a, b in cases:
        a, b = [int(v) for v in a], [int(v) for v in b]
        out.append({"name": name, "labelsTrue": a, "labelsPred": b,
                    "adjustedRandIndex": float(adjusted_rand_score(a, b)),
                    "normalizedMutualInfo": float(normalized_mutual_info_score(a, b)),
                    "misclusteringRate": float(misclustering_rate(a, b))})
        print(f"metrics {name}: {[out[-1][m] for m in ('adjustedRandIndex', 'normalizedMutualInfo', 'misclusteringRate')]}")
    write_json("clustering_metrics.json", out)


def main():
    for name, loader in [("iris", load_iris), ("wine", load_wine), ("breast_cancer", load_breast_cancer)]:
        ds = loader()
        X, y = ds.data.astype(np.float64), ds.target.astype(int)
        header = [column_name(f) for f in ds.feature_names]
        write_csv(os.path.join(RES, "datasets", f"{name}.csv"), header + ["label"], X, y)
        if name == "iris":
            write_csv(os.path.join(REPO, "data", "iris.csv"), header + ["species"], X,
                      [ds.target_names[v] for v in y])
            iris_X, iris_y = X, y
        em_reference(name, X)
    synthetic_bic()
    clustering_metrics(iris_X, iris_y)


if __name__ == "__main__":
    main()
