package io.mixspark.cli;

/** The wording of every {@code --covariance} option: which names it accepts. */
final class CovarianceModels {

    /** The accepted names, for option descriptions (a constant, as annotations need). */
    static final String NAMES = "mclust's EII, VII, EEI, VEI, EVI, VVI, EEE, VEE, EVE, VVE, EEV, VEV, EVV, VVV"
            + " (E and V for one feature), or full (= VVV), diag (= VVI), spherical (= VII), tied (= EEE)";

    private CovarianceModels() {
    }
}
