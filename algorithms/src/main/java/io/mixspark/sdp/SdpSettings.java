package io.mixspark.sdp;

import io.mixspark.util.Ids;

/**
 * What an SDP clustering ({@link SdpFit}) solves and how, as {@code mixspark sdp} and
 * {@code SdpClustering} take it; the solvers' own options ({@link SdpOptions},
 * {@link IlaSdpOptions}, {@link BurerMonteiroOptions}) are derived from it.
 *
 * @param method         the relaxation
 * @param solver         where and how it is solved
 * @param k              clusters
 * @param sketchRows     expected rows of the driver-side sample (sketch solver, and the warm start of
 *                       Burer-Monteiro)
 * @param tolerance      stopping tolerance of the solver (ADMM residuals, Burer-Monteiro change and
 *                       infeasibility)
 * @param maxIterations  solver iterations at most
 * @param seed           seed of the sample, the random start and the roundings
 * @param kernel         likelihood kernel for the passes that score the final model
 * @param ila            iLA-SDP's starts and rounds (ignored by the k-means SDP)
 */
public record SdpSettings(Method method, Solver solver, int k, int sketchRows, double tolerance, int maxIterations,
        long seed, String kernel, IlaSearch ila) {

    /** Rows the dense solver accepts: one n x n eigendecomposition per ADMM iteration. */
    public static final int DENSE_MAX_ROWS = 2000;
    public static final int DEFAULT_SKETCH_ROWS = 500;
    /**
     * ADMM residuals of 1e-3 settle the labels, and tighter residuals can take far longer to reach
     * (docs/SDP.md, "Checks"); Burer-Monteiro stops on label stability before either.
     */
    public static final double DEFAULT_TOLERANCE = 1e-3;
    public static final int DEFAULT_MAX_ITERATIONS = 10000;

    public SdpSettings {
        if (method == null || solver == null || ila == null) {
            throw new IllegalArgumentException("method, solver and iLA-SDP's search are required");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        if (sketchRows < k || sketchRows > DENSE_MAX_ROWS) {
            throw new IllegalArgumentException("the sketch size must be in " + k + ".." + DENSE_MAX_ROWS
                    + " (k to the dense solver's limit), got " + sketchRows);
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("the tolerance must be in (0, 1), got " + tolerance);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("max iterations must be >= 1, got " + maxIterations);
        }
        if (method == Method.ILA_SDP && solver == Solver.BURER_MONTEIRO) {
            throw new IllegalArgumentException("iLA-SDP has no Burer-Monteiro solver; use --solver dense or sketch"
                    + " (the sketch lifts to every row with the Gaussian rule)");
        }
    }

    /** With iLA-SDP's default starts and rounds. */
    public SdpSettings(Method method, Solver solver, int k, int sketchRows, double tolerance, int maxIterations,
            long seed, String kernel) {
        this(method, solver, k, sketchRows, tolerance, maxIterations, seed, kernel, IlaSearch.DEFAULTS);
    }

    /**
     * How widely iLA-SDP searches: the {@link IlaSdpOptions} of the same names, whose constructor
     * checks them. The dense rounds dominate its time, so these are what a user trades for speed.
     */
    public record IlaSearch(int roundStarts, int randomStarts, int emRestarts, int maxRounds) {

        public static final IlaSearch DEFAULTS = of(IlaSdpOptions.DEFAULTS);

        public IlaSearch {
            // IlaSdpOptions checks the ranges: one copy of them.
            IlaSdpOptions.DEFAULTS.withRoundStarts(roundStarts).withRandomStarts(randomStarts)
                    .withEmRestarts(emRestarts).withMaxRounds(maxRounds);
        }

        public static IlaSearch of(IlaSdpOptions options) {
            return new IlaSearch(options.roundStarts(), options.randomStarts(), options.emRestarts(),
                    options.maxRounds());
        }

        /** {@code options} with these four. */
        public IlaSdpOptions applyTo(IlaSdpOptions options) {
            return options.withRoundStarts(roundStarts).withRandomStarts(randomStarts).withEmRestarts(emRestarts)
                    .withMaxRounds(maxRounds);
        }
    }

    /** The SDP relaxation. */
    public enum Method {
        KMEANS_SDP("kmeans-sdp"), ILA_SDP("ila-sdp");

        private final String id;

        Method(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Method parse(String text) {
            return Ids.parse(text, values(), Method::id, "method");
        }
    }

    /** Where the relaxation is solved. */
    public enum Solver {
        /** All rows on the driver (at most {@value #DENSE_MAX_ROWS}). */
        DENSE("dense"),
        /** A sample on the driver, then one pass assigning every row (sketch-and-lift). */
        SKETCH("sketch"),
        /** The low-rank factor partitioned with the rows, one aggregation per iteration. */
        BURER_MONTEIRO("burer-monteiro");

        private final String id;

        Solver(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Solver parse(String text) {
            return Ids.parse(text, values(), Solver::id, "solver");
        }
    }
}
