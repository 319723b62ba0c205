package io.mixspark.sdp;

import io.mixspark.data.DataBlock;
import io.mixspark.data.SampledRows;

/** The passes of {@link BurerMonteiroSolver} over the factor partitions. */
final class BurerMonteiroMoves {

    private BurerMonteiroMoves() {
    }

    /** Centres and scales the rows and draws the starting factor; sums over the start. */
    record Start(double[] mean, double scale, int r, long seed, double[] centres, long[] sizes, double noise)
            implements FactorMove<FactorSums> {

        @Override
        public Moved<FactorSums> move(FactorPartition raw) {
            FactorPartition p = raw.start(mean, scale, r, seed, centres, sizes, noise);
            FactorSums sums = new FactorSums(p.d, r);
            for (int i = 0; i < p.n; i++) {
                sums.addRow(p.x, i * p.d, p.v, i * r, 0);
            }
            return new Moved<>(p, sums);
        }

        @Override
        public FactorSums zero() {
            return new FactorSums(mean.length, r);
        }

        @Override
        public FactorSums merge(FactorSums left, FactorSums right) {
            return left.merge(right);
        }
    }

    /**
     * One projected-gradient step. With u_i = scale v_i: the optional dual step
     * y_i += beta (u_i^T s - 1), then y~_i = y_i + beta (u_i^T s - 1),
     * grad_i = -2 x_i^T G + y~_i s + t and v'_i = max(u_i - alpha grad_i, 0). G = X^T U, s = U^T 1 and
     * t = U^T y~ are global and come from the driver.
     */
    record Step(double scale, double[] g, double[] s, double[] t, double alpha, double beta, boolean dual)
            implements FactorMove<FactorSums> {

        @Override
        public Moved<FactorSums> move(FactorPartition p) {
            int n = p.n;
            int d = p.d;
            int r = p.r;
            double[] next = new double[n * r];
            double[] y = p.y.clone();
            double[] u = new double[r];
            double[] xg = new double[r];
            FactorSums sums = new FactorSums(d, r);
            for (int i = 0; i < n; i++) {
                double us = 0;
                for (int j = 0; j < r; j++) {
                    u[j] = scale * p.v[i * r + j];
                    us += u[j] * s[j];
                }
                double excess = us - 1;
                if (dual) {
                    y[i] += beta * excess;
                }
                sums.rowSumError += excess * excess;
                double yTilde = y[i] + beta * excess;
                java.util.Arrays.fill(xg, 0);
                for (int a = 0; a < d; a++) {
                    double xa = p.x[i * d + a];
                    for (int j = 0; j < r; j++) {
                        xg[j] += xa * g[a * r + j];
                    }
                }
                for (int j = 0; j < r; j++) {
                    double grad = -2 * xg[j] + yTilde * s[j] + t[j];
                    double vj = Math.max(u[j] - alpha * grad, 0);
                    next[i * r + j] = vj;
                    double diff = vj - u[j];
                    sums.moved += diff * diff;
                    sums.movedDotU += diff * u[j];
                }
                sums.addRow(p.x, i * d, next, i * r, y[i]);
            }
            return new Moved<>(p.with(next, y, p.labels), sums);
        }

        @Override
        public FactorSums zero() {
            return new FactorSums(g.length / s.length, s.length);
        }

        @Override
        public FactorSums merge(FactorSums left, FactorSums right) {
            return left.merge(right);
        }
    }

    /** Rows of the spectral embedding E = V P whose remixed hash falls below the fraction. */
    record Sample(double[] projection, int k, double fraction, long seed) implements FactorMove<SampledRows> {

        @Override
        public Moved<SampledRows> move(FactorPartition p) {
            return new Moved<>(p, p.embeddingSample(projection, k, fraction, seed));
        }

        @Override
        public SampledRows zero() {
            return new SampledRows(k);
        }

        @Override
        public SampledRows merge(SampledRows left, SampledRows right) {
            return left.merge(right);
        }
    }

    /** Labels every row by its nearest centre in the embedding, against its previous label. */
    record Label(double[] projection, int k, double[] centres, int d) implements FactorMove<LabelSums> {

        @Override
        public Moved<LabelSums> move(FactorPartition p) {
            double[] embedded = new double[p.n * k];
            double[] row = new double[k];
            for (int i = 0; i < p.n; i++) {
                p.embed(i, projection, k, row);
                System.arraycopy(row, 0, embedded, i * k, k);
            }
            int[] labels = FactorPartition.nearestCentres(new DataBlock(embedded, null, p.n, k), centres, k);
            LabelSums sums = new LabelSums(k, d);
            for (int i = 0; i < p.n; i++) {
                sums.add(p.labels == null ? -1 : p.labels[i], labels[i], p.x, i * d);
            }
            return new Moved<>(p.with(p.v, p.y, labels), sums);
        }

        @Override
        public LabelSums zero() {
            return new LabelSums(k, d);
        }

        @Override
        public LabelSums merge(LabelSums left, LabelSums right) {
            return left.merge(right);
        }
    }
}
