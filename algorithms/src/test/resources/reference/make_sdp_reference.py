#!/usr/bin/python3
"""Reference optima of the Peng-Wei k-means SDP (Peng & Wei, SIAM J. Optim. 2007), from cvxopt.

    maximise <A, Z>,  A = X X^T,  subject to  Z PSD,  Z >= 0 elementwise,  Z 1 = 1,  tr Z = K.

Z is parameterised by its lower triangle (n(n+1)/2 variables). cvxopt's conelp/sdp form is
    minimise c^T x  s.t.  Gl x <= hl (linear cone),  hs - sum_k x_k G_k PSD,  A x = b,
so the elementwise nonnegativity is the linear block -x <= 0, the PSD constraint has hs = 0 and
G_k = -E_k (E_k the symmetric unit matrix of variable k), and the n + 1 equalities are the row
sums and the trace. The data (drawn here with a seeded numpy generator) is written into the JSON
so the Java test reads exactly the same numbers.

Run with Debian's interpreter, which has python3-cvxopt:
    /usr/bin/python3 make_sdp_reference.py   (writes sdp_kmeans.json next to this script)
"""
import json
import os

import numpy as np
from cvxopt import matrix, solvers, spmatrix


def solve(x, k):
    n = x.shape[0]
    a = x @ x.T
    index = {}
    pairs = []
    for j in range(n):
        for i in range(j, n):
            index[(i, j)] = len(pairs)
            pairs.append((i, j))
    m = len(pairs)
    c = matrix([-(a[i, j] if i == j else 2.0 * a[i, j]) for (i, j) in pairs])
    gl = spmatrix(-1.0, range(m), range(m))
    hl = matrix(0.0, (m, 1))
    # PSD block: column k of Gs is vec(-E_k) in column-major order.
    vals, rows, cols = [], [], []
    for col, (i, j) in enumerate(pairs):
        vals.append(-1.0); rows.append(i + j * n); cols.append(col)
        if i != j:
            vals.append(-1.0); rows.append(j + i * n); cols.append(col)
    gs = [spmatrix(vals, rows, cols, (n * n, m))]
    hs = [matrix(0.0, (n, n))]
    # Equalities: row sums of Z equal 1, trace equals K.
    evals, erows, ecols = [], [], []
    for col, (i, j) in enumerate(pairs):
        evals.append(1.0); erows.append(i); ecols.append(col)
        if i != j:
            evals.append(1.0); erows.append(j); ecols.append(col)
        else:
            evals.append(1.0); erows.append(n); ecols.append(col)
    aeq = spmatrix(evals, erows, ecols, (n + 1, m))
    beq = matrix([1.0] * n + [float(k)])
    solvers.options.update({"show_progress": False, "abstol": 1e-10, "reltol": 1e-10,
                            "feastol": 1e-10, "maxiters": 200})
    sol = solvers.sdp(c, Gl=gl, hl=hl, Gs=gs, hs=hs, A=aeq, b=beq)
    if sol["status"] != "optimal":
        raise RuntimeError("cvxopt status " + sol["status"])
    z = np.zeros((n, n))
    for col, (i, j) in enumerate(pairs):
        z[i, j] = z[j, i] = sol["x"][col]
    return -sol["primal objective"], z


def instance(rng, n, d, k, separation):
    centres = rng.normal(scale=separation, size=(k, d))
    labels = np.arange(n) % k
    return centres[labels] + rng.normal(size=(n, d)), labels


def main():
    rng = np.random.default_rng(20260423)
    cases = []
    for name, n, d, k, separation in [("separated_n20_d2_k2", 20, 2, 2, 4.0),
                                      ("overlapping_n30_d3_k3", 30, 3, 3, 1.0),
                                      ("moderate_n40_d5_k3", 40, 5, 3, 2.0),
                                      ("overlapping_n36_d2_k2", 36, 2, 2, 0.7)]:
        x, truth = instance(rng, n, d, k, separation)
        objective, z = solve(x, k)
        eig = np.linalg.eigvalsh(z)
        cases.append({
            "name": name, "n": n, "d": d, "k": k,
            "data": [float(v) for v in x.ravel()],
            "truth": [int(t) for t in truth],
            "objective": float(objective),
            # Diagnostics: the optimum's constraint violations and rank (eigenvalues > 1e-6).
            "minEntry": float(z.min()), "minEigenvalue": float(eig.min()),
            "rowSumError": float(np.abs(z.sum(axis=1) - 1).max()),
            "rank": int((eig > 1e-6).sum()),
        })
        print(name, objective, "rank", cases[-1]["rank"])
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sdp_kmeans.json")
    with open(out, "w") as f:
        json.dump(cases, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
