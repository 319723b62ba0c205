"""Times scikit-learn's GaussianMixture for `mixspark bench` on the same data and start.

Usage: python3 sklearn_em.py DATA.f64 N D START.json ITERATIONS COVARIANCE
DATA.f64 holds N x D little-endian doubles, row-major; START.json is a MixSpark model.json.
Prints one JSON object: seconds per EM iteration and the final mean log-likelihood.
"""
import json
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture


def fit(x, start, iterations, covariance):
    precisions = np.array([np.linalg.inv(np.array(c)) for c in start["covariances"]])
    gm = GaussianMixture(n_components=len(start["weights"]), covariance_type=covariance, max_iter=iterations,
                         tol=0.0, reg_covar=1e-6, weights_init=np.array(start["weights"]),
                         means_init=np.array(start["means"]), precisions_init=precisions)
    t0 = time.perf_counter()
    gm.fit(x)
    return time.perf_counter() - t0, gm


def main():
    path, n, d, start_path, iterations, covariance = sys.argv[1:7]
    if covariance != "full":
        raise SystemExit("this script compares full covariances only")
    x = np.fromfile(path, dtype="<f8").reshape(int(n), int(d))
    start = json.load(open(start_path))
    warnings.simplefilter("ignore", ConvergenceWarning)
    one, _ = fit(x, start, 1, covariance)
    many, gm = fit(x, start, 1 + int(iterations), covariance)
    print(json.dumps({"secondsPerIteration": (many - one) / int(iterations),
                      "meanLogLikelihood": float(gm.score(x))}))


if __name__ == "__main__":
    main()
