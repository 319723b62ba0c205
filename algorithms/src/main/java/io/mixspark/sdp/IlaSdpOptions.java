package io.mixspark.sdp;

/**
 * Settings of {@link IlaSdp}.
 *
 * @param maxRounds rounds (covariances, solve, rounding) at most, &gt;= 1
 * @param solver    ADMM settings of both the k-means SDP start ({@link KMeansSdp}) and every
 *                  likelihood-adjusted solve ({@code CoupledBlockSdp}); its rounding seed seeds the
 *                  k-means++ of the roundings
 * @param rounding  how the blocks of a solve become labels
 * @param regCovar  added to every variance after the shrinkage, a finite number &gt; 0 (a cluster of
 *                  one row has a zero sample covariance, so some floor is needed)
 */
public record IlaSdpOptions(int maxRounds, SdpOptions solver, IlaRounding rounding, double regCovar) {

    /**
     * 10 rounds; ADMM with relative residuals below 1e-3 and at most 2000 iterations (labels settle
     * long before tight residuals, as in {@link KMeansSdp}'s recovery test); spectral rounding;
     * regCovar 1e-6 as EM's default.
     */
    public static final IlaSdpOptions DEFAULTS = new IlaSdpOptions(10,
            SdpOptions.DEFAULTS.withTolerance(1e-3).withMaxIterations(2000), IlaRounding.SPECTRAL, 1e-6);

    public IlaSdpOptions {
        if (maxRounds < 1) {
            throw new IllegalArgumentException("maxRounds must be >= 1, got " + maxRounds);
        }
        if (solver == null || rounding == null) {
            throw new IllegalArgumentException("solver options and rounding are required");
        }
        if (!(regCovar > 0) || Double.isInfinite(regCovar)) {
            throw new IllegalArgumentException("regCovar must be a finite number > 0, got " + regCovar);
        }
    }

    public IlaSdpOptions withMaxRounds(int value) {
        return new IlaSdpOptions(value, solver, rounding, regCovar);
    }

    public IlaSdpOptions withSolver(SdpOptions value) {
        return new IlaSdpOptions(maxRounds, value, rounding, regCovar);
    }

    public IlaSdpOptions withRounding(IlaRounding value) {
        return new IlaSdpOptions(maxRounds, solver, value, regCovar);
    }

    public IlaSdpOptions withRegCovar(double value) {
        return new IlaSdpOptions(maxRounds, solver, rounding, value);
    }
}
