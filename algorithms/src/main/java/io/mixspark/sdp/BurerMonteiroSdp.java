package io.mixspark.sdp;

import io.mixspark.data.DataBlock;
import io.mixspark.data.InMemoryBlockData;
import java.util.List;

/**
 * Non-negative low-rank Burer-Monteiro solver of the Peng-Wei k-means SDP (Zhuang, Chen, Yang and
 * Zhang, "Statistically optimal K-means clustering via nonnegative low-rank semidefinite
 * programming", ICLR 2024, arXiv 2305.18436; Burer and Monteiro, Math. Program. 95, 2003).
 *
 * <p>Z = U U^T with U n x r, r = 2K, U &gt;= 0 and ||U||_F^2 = K (so tr Z = K and Z &gt;= 0 hold by
 * construction). The remaining constraint Z 1 = 1 enters an augmented Lagrangian with penalty beta
 * and dual y (starting at 0). With y~ = y + beta (U U^T 1 - 1), each iteration takes the projected
 * gradient step
 *
 * <pre>
 *   grad = -2 X (X^T U) + y~ (1^T U) + 1 (y~^T U),   U &lt;- P(U - alpha grad),
 *   P(V) = max(V, 0) sqrt(K) / ||max(V, 0)||_F,
 * </pre>
 *
 * and the dual step y &lt;- y + beta (U U^T 1 - 1) once ||dU||_F / sqrt K &lt; 1e-3. X X^T U is
 * computed as X (X^T U), so an iteration costs O(n d r) and nothing n x n is formed. The authors'
 * code uses a fixed alpha = 1e-6; here alpha = 1 / (2 ||X||_2^2 + beta n), scaled to the data. The
 * rows are centred first (a constant change of the objective on the feasible set).
 *
 * <p><b>Stopping.</b> Either ||dU||_F / sqrt K and ||U U^T 1 - 1|| / sqrt n both fall below the
 * tolerance (the authors' rule, 1e-6), or, as the labels settle long before that, the rounded
 * labels (see {@link BurerMonteiroSolver} for the rounding) agree up to relabelling over
 * {@link BurerMonteiroOptions#stableChecks()} consecutive checks while the infeasibility is below
 * {@link BurerMonteiroOptions#stableInfeasibility()}.
 *
 * <p>This entry point works on rows in memory; {@link BurerMonteiroSolver} runs the same
 * iteration over partitioned rows (a Spark RDD), with one aggregation per iteration.
 */
public final class BurerMonteiroSdp {

    private BurerMonteiroSdp() {
    }

    /**
     * @param points unweighted rows
     * @throws IllegalArgumentException if k is not in 1..n or a row weight differs from 1
     */
    public static BurerMonteiroResult fit(DataBlock points, int k, BurerMonteiroOptions options) {
        KMeansSdp.requireInput(points, k, options);
        try (InMemoryFactorData data = new InMemoryFactorData(new InMemoryBlockData(List.of(points), points.d()))) {
            BurerMonteiroFit fit = BurerMonteiroSolver.solve(data, k, options, null);
            return new BurerMonteiroResult(data.labels(), k, data.factor(k), fit.r(), fit.objective(),
                    fit.iterations(), fit.change(), fit.infeasibility(), fit.converged(), fit.labelsStable());
        }
    }
}
