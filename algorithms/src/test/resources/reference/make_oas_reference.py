#!/usr/bin/python3
"""Reference values of Oracle Approximating Shrinkage from scikit-learn's sklearn.covariance.OAS.

Each case draws rows with a seeded numpy generator and writes the rows, optional integer row
weights, scikit-learn's shrinkage_ and covariance_ into oas_shrinkage.json, so the Java test
(OracleApproximatingShrinkageTest) computes the maximum-likelihood covariance of exactly these
rows itself. A weighted case is fitted by scikit-learn on the rows repeated by their weights: the
effective count of weighted rows must behave as that many rows.

Run with Debian's interpreter (apt-get install python3-sklearn):
    /usr/bin/python3 make_oas_reference.py   (writes oas_shrinkage.json next to this script)
"""
import json
import os

import numpy as np
import sklearn
from sklearn.covariance import OAS


def elongated(rng, n, d, ratio):
    """Rows stretched by `ratio` along one random direction."""
    direction = rng.standard_normal(d)
    direction /= np.linalg.norm(direction)
    x = rng.standard_normal((n, d))
    return x + (ratio - 1.0) * np.outer(x @ direction, direction)


def case(name, x, weights=None):
    fit_rows = x if weights is None else np.repeat(x, weights, axis=0)
    oas = OAS(store_precision=False).fit(fit_rows)
    return {
        "name": name,
        "n": int(x.shape[0]),
        "d": int(x.shape[1]),
        "rows": x.ravel().tolist(),
        "weights": None if weights is None else [float(w) for w in weights],
        "rho": float(oas.shrinkage_),
        "covariance": oas.covariance_.ravel().tolist(),
    }


def main():
    rng = np.random.default_rng(20261203)
    cases = [
        case("n200_d3_correlated", rng.standard_normal((200, 3)) @ np.array([[2.0, 0.5, 0.0],
                                                                           [0.0, 1.0, 0.3],
                                                                           [0.0, 0.0, 0.2]])),
        case("n10_d5", rng.standard_normal((10, 5)) * np.array([1.0, 2.0, 3.0, 0.5, 1.5])),
        case("n40_d30_elongated", elongated(rng, 40, 30, 8.0)),
        case("n150_d30_elongated", elongated(rng, 150, 30, 5.0)),
        case("n6_d12_fewer_rows_than_d", rng.standard_normal((6, 12))),
        case("n500_d4_spherical", rng.standard_normal((500, 4))),
        case("n30_d1", rng.standard_normal((30, 1)) * 3.0 + 1.0),
        case("n25_d6_weighted", elongated(rng, 25, 6, 4.0), weights=rng.integers(1, 4, size=25)),
    ]
    out = {"sklearn": sklearn.__version__, "numpy": np.__version__, "cases": cases}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "oas_shrinkage.json")
    # One case per line: the file stays small and a regenerated case shows as one changed line.
    with open(path, "w") as f:
        f.write('{"sklearn": %s, "numpy": %s, "cases": [\n' % (json.dumps(out["sklearn"]), json.dumps(out["numpy"])))
        f.write(",\n".join(json.dumps(c) for c in cases))
        f.write("\n]}\n")
    for c in cases:
        print(c["name"], c["rho"])


if __name__ == "__main__":
    main()
