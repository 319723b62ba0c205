package io.mixspark.data;

import java.io.Serializable;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;

/**
 * Where a data set's values are missing (NaN), from one pass: the rows and total weight of the
 * rows that have at least one observed value, the rows with a missing value, the rows with no
 * observed value (which EM leaves out), the missing values and the observed mean per column, the
 * distinct missingness patterns (counted up to {@link #PATTERN_LIMIT}), and how many rows carry
 * a known component, and the {@link ContentDigest} of all rows.
 */
public final class Missingness implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Distinct patterns are counted exactly up to this many; more are reported as this many. */
    public static final int PATTERN_LIMIT = 4096;

    private final int d;
    private long rows;
    private double totalWeight;
    private long rowsWithMissing;
    private long rowsAllMissing;
    private long labelledRows;
    private long digest;
    private final long[] missingPerColumn;
    private final double[] observedSum;
    private final long[] observedCount;
    private final Set<BitSet> patterns = new HashSet<>();

    private Missingness(int d) {
        this.d = d;
        this.missingPerColumn = new long[d];
        this.observedSum = new double[d];
        this.observedCount = new long[d];
    }

    /** The pass over d-column blocks. */
    public static BlockAggregator<Missingness> pass(int d) {
        return new BlockAggregator<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public Missingness zero() {
                return new Missingness(d);
            }

            @Override
            public Missingness add(Missingness acc, DataBlock block) {
                acc.add(block);
                return acc;
            }

            @Override
            public Missingness add(Missingness acc, FloatBlock block) {
                // The float block's digest was taken from its rows before rounding.
                acc.add(block.toDataBlock(), block.digest());
                return acc;
            }

            @Override
            public Missingness merge(Missingness left, Missingness right) {
                return left.merge(right);
            }
        };
    }

    private void add(DataBlock block) {
        add(block, ContentDigest.of(block));
    }

    private void add(DataBlock block, long blockDigest) {
        digest += blockDigest;
        double[] v = block.values();
        for (int i = 0; i < block.rows(); i++) {
            if (block.label(i) != DataBlock.UNLABELLED) {
                labelledRows++;
            }
            BitSet missing = null;
            for (int a = 0; a < d; a++) {
                double x = v[i * d + a];
                if (Double.isNaN(x)) {
                    if (missing == null) {
                        missing = new BitSet(d);
                    }
                    missing.set(a);
                    missingPerColumn[a]++;
                } else {
                    observedSum[a] += x;
                    observedCount[a]++;
                }
            }
            if (missing == null) {
                rows++;
                totalWeight += block.weight(i);
                continue;
            }
            rowsWithMissing++;
            if (missing.cardinality() == d) {
                rowsAllMissing++;
            } else {
                rows++;
                totalWeight += block.weight(i);
            }
            if (patterns.size() < PATTERN_LIMIT) {
                patterns.add(missing);
            }
        }
    }

    private Missingness merge(Missingness other) {
        rows += other.rows;
        totalWeight += other.totalWeight;
        rowsWithMissing += other.rowsWithMissing;
        rowsAllMissing += other.rowsAllMissing;
        labelledRows += other.labelledRows;
        digest += other.digest;
        for (int a = 0; a < d; a++) {
            missingPerColumn[a] += other.missingPerColumn[a];
            observedSum[a] += other.observedSum[a];
            observedCount[a] += other.observedCount[a];
        }
        for (BitSet p : other.patterns) {
            if (patterns.size() >= PATTERN_LIMIT) {
                break;
            }
            patterns.add(p);
        }
        return this;
    }

    /** Rows with at least one observed value and their total weight: the rows EM fits. */
    public RowCounts counts() {
        return new RowCounts(rows, totalWeight);
    }

    /** The {@link ContentDigest} of every row the pass saw, whatever its order or partitioning. */
    public long digest() {
        return digest;
    }

    public boolean hasMissing() {
        return rowsWithMissing > 0;
    }

    public long rowsWithMissing() {
        return rowsWithMissing;
    }

    /** Rows that carry a known component. */
    public long labelledRows() {
        return labelledRows;
    }

    /** Rows with no observed value, which EM leaves out. */
    public long rowsAllMissing() {
        return rowsAllMissing;
    }

    /** Distinct missingness patterns, not counting complete rows (at most {@link #PATTERN_LIMIT}). */
    public int patterns() {
        return patterns.size();
    }

    /** The share of each column's values that is missing. */
    public double[] missingShare() {
        double[] out = new double[d];
        for (int a = 0; a < d; a++) {
            long all = missingPerColumn[a] + observedCount[a];
            out[a] = all == 0 ? 0 : (double) missingPerColumn[a] / all;
        }
        return out;
    }

    /** The mean of each column's observed values (0 for a column with none). */
    public double[] observedMeans() {
        double[] out = new double[d];
        for (int a = 0; a < d; a++) {
            out[a] = observedCount[a] == 0 ? 0 : observedSum[a] / observedCount[a];
        }
        return out;
    }
}
