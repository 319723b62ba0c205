package io.mixspark.spark.ml;

import io.mixspark.em.EmOptions;
import io.mixspark.em.FitListener;
import io.mixspark.federated.FederatedFit;
import io.mixspark.federated.LocalFitOptions;
import io.mixspark.federated.PrivacyOptions;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.spark.SparkBlockData;
import io.mixspark.spark.SparkSiteData;
import io.mixspark.spark.ml.param.HasCovarianceType;
import io.mixspark.spark.ml.param.HasRegCovar;
import io.mixspark.spark.ml.param.HasWeightCol;
import io.mixspark.util.Ids;
import java.io.Serializable;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import scala.runtime.AbstractFunction1;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Federated Gaussian mixtures as a Spark ML Estimator: the rows stay split by a site column (or
 * by partition), and only local mixtures or per-site statistics are combined. The modes are
 * {@code one-shot} (local fits pooled and reduced, then {@code rounds} federated EM rounds),
 * {@code em} (federated EM, equal to centralised EM from the same start; differentially private
 * when {@code epsilon} > 0) and {@code personalized} (shared components, per-site weights);
 * see {@link FederatedFit}. One-shot and private fits take covarianceType full or diag. The result
 * is the ordinary {@link MixSparkGaussianMixtureModel}, whose summary is the final model's E-step
 * over all rows; {@link #fitDetailed} also returns the federated details (rounds, bytes, local
 * fits, per-site weights and novelty, privacy spent).
 */
public final class FederatedGaussianMixture extends MixSparkEstimator<FederatedGaussianMixture> implements
        HasCovarianceType<FederatedGaussianMixture>, HasRegCovar<FederatedGaussianMixture>,
        HasWeightCol<FederatedGaussianMixture> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FederatedGaussianMixture.class);

    private transient Mixture initialModel;
    /** Null after Java deserialisation (it is transient): read it through {@link #listener()}. */
    private transient FitListener listener = FitListener.NONE;

    /** A fitted model with everything the federated fit reported. */
    public record Fitted(MixSparkGaussianMixtureModel model, FederatedFit.Outcome outcome) {
    }

    public FederatedGaussianMixture() {
        this(Identifiable$.MODULE$.randomUID("mixspark-fedgmm"));
    }

    public FederatedGaussianMixture(String uid) {
        super(uid);
    }

    public Param<String> mode() {
        return declare("mode", p -> new Param<>(p, "mode", "federated algorithm: one-shot, em or personalized",
                ParamValidators.inArray(Ids.all(FederatedFit.Mode.values(), FederatedFit.Mode::id))),
                FederatedFit.Mode.ONE_SHOT.id());
    }

    public Param<String> siteCol() {
        return declare("siteCol", p -> new Param<>(p, "siteCol", "site column (any type, by its string form); empty:"
                + " one site per partition"), "");
    }

    public IntParam rounds() {
        return declare("rounds", p -> new IntParam(p, "rounds", "federated rounds at most (private: exactly); -1 for"
                + " the mode's default: 0 after one-shot, 10 private, 100 otherwise", ParamValidators.gtEq(-1)), -1);
    }

    public IntParam localK() {
        return declare("localK", p -> new IntParam(p, "localK", "components of every local fit; 0 for 4k",
                ParamValidators.gtEq(0)), 0);
    }

    public Param<String> localKRange() {
        return declare("localKRange", p -> new Param<String>(p, "localKRange", "local k chosen per site by BIC in a"
                + " range like 1..6; empty for the fixed localK", new LocalKRange()), "");
    }

    public DoubleParam epsilon() {
        return declare("epsilon", p -> new DoubleParam(p, "epsilon", "differential privacy target epsilon (mode em);"
                + " 0 for no privacy, Infinity to clip without noise", ParamValidators.gtEq(0)), 0.0);
    }

    public DoubleParam delta() {
        return declare("delta", p -> new DoubleParam(p, "delta", "differential privacy target delta in (0, 1);"
                + " required with epsilon", ParamValidators.inRange(0, 1, true, false)), 0.0);
    }

    public DoubleParam clip() {
        return declare("clip", p -> new DoubleParam(p, "clip", "clipping norm B of every row (> 0); required with"
                + " epsilon", ParamValidators.gtEq(0)), 0.0);
    }

    public FederatedGaussianMixture setMode(String value) {
        return setParam(mode(), FederatedFit.Mode.parse(value).id());
    }

    public FederatedGaussianMixture setSiteCol(String value) {
        return setParam(siteCol(), value == null ? "" : value);
    }

    public FederatedGaussianMixture setRounds(int value) {
        return setParam(rounds(), value);
    }

    public FederatedGaussianMixture setLocalK(int value) {
        return setParam(localK(), value);
    }

    public FederatedGaussianMixture setLocalKRange(String value) {
        return setParam(localKRange(), value == null ? "" : value);
    }

    public FederatedGaussianMixture setEpsilon(double value) {
        return setParam(epsilon(), value);
    }

    public FederatedGaussianMixture setDelta(double value) {
        return setParam(delta(), value);
    }

    public FederatedGaussianMixture setClip(double value) {
        return setParam(clip(), value);
    }

    public String getMode() {
        return getOrDefault(mode());
    }

    public String getSiteCol() {
        return getOrDefault(siteCol());
    }

    /**
     * Starts em or personalized rounds from this mixture instead of the one-shot reduction (sets
     * k and covarianceType to match). For a private fit it must not depend on the private rows.
     */
    public FederatedGaussianMixture setInitialModel(Mixture model) {
        this.initialModel = model;
        setK(model.k());
        return setCovarianceType(model.covarianceType().id());
    }

    /** Receives per-round progress and warnings on the driver (the log gets them too). */
    public FederatedGaussianMixture setListener(FitListener value) {
        this.listener = value == null ? FitListener.NONE : value;
        return this;
    }

    /** The settings these params describe; throws IllegalArgumentException for a bad combination. */
    public FederatedFit.Settings settings() {
        FederatedFit.Mode m = FederatedFit.Mode.parse(getMode());
        CovarianceType type = CovarianceType.parse(getCovarianceType());
        int[] local = localKs();
        double eps = (Double) getOrDefault(epsilon());
        PrivacyOptions privacy = null;
        if (eps > 0) {
            double b = (Double) getOrDefault(clip());
            double dl = (Double) getOrDefault(delta());
            if (!(dl > 0)) {
                throw new IllegalArgumentException("epsilon needs delta in (0, 1), got " + dl);
            }
            if (!(b > 0)) {
                throw new IllegalArgumentException("epsilon needs a clipping norm clip > 0, got " + b);
            }
            privacy = PrivacyOptions.of(eps, dl, b).withSeed(getSeed());
        }
        int r = (Integer) getOrDefault(rounds());
        return new FederatedFit.Settings(m, getK(), type, local[0], local[1],
                r < 0 ? FederatedFit.Settings.defaultRounds(m, privacy != null) : r, getTol(), getSeed(),
                EmOptions.DEFAULT_MAX_ITER, 1, getRegCovar(), getKernel(), privacy, initialModel);
    }

    private int[] localKs() {
        String range = getOrDefault(localKRange()).trim();
        if (range.isEmpty()) {
            int fixed = (Integer) getOrDefault(localK());
            int value = fixed == 0 ? LocalFitOptions.overfitK(getK()) : fixed;
            return new int[] {value, value};
        }
        return parseRange(range, "localKRange");
    }

    /** The validator of {@code localKRange}: empty, or a range {@link #parseRange} reads. */
    private static final class LocalKRange extends AbstractFunction1<String, Object> implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Object apply(String range) {
            try {
                return range.isBlank() || parseRange(range, "localKRange") != null;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }

    /** {@code 1..6} (or a single number) as {min, max}. */
    public static int[] parseRange(String text, String name) {
        try {
            String[] ends = text.contains("..") ? text.split("\\.\\.", 2) : new String[] {text, text};
            int from = Integer.parseInt(ends[0].trim());
            int to = Integer.parseInt(ends[1].trim());
            if (from < 1 || to < from) {
                throw new IllegalArgumentException(name + " must be a range like 1..6 with 1 <= min <= max, got '"
                        + text + "'");
            }
            return new int[] {from, to};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a range like 1..6, got '" + text + "'");
        }
    }

    @Override
    public MixSparkGaussianMixtureModel fit(Dataset<?> dataset) {
        return fitDetailed(dataset).model();
    }

    /** Fits and returns the model with the federated details. */
    public Fitted fitDetailed(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        FederatedFit.Settings settings = settings();
        long start = System.nanoTime();
        try (SparkSiteData data = SparkSiteData.fromDataFrame(dataset, getFeaturesCol(), getSiteCol(),
                getWeightCol(), getBlockSize(),
                SparkBlockData.DEFAULT_AGGREGATION_DEPTH)) {
            LOG.info("federated {} fit over {} sites", settings.mode().id(), data.sites().size());
            FederatedFit.Outcome outcome = FederatedFit.run(data, data.pooled(), settings,
                    (sites, groups, options, l) -> data.fitSitesInTasks(groups, options, l),
                    new LoggingFitListener(LOG, "federated round", listener()));
            return new Fitted(model(outcome.model(), new MixSparkGaussianMixtureSummary(outcome.fit(),
                    (System.nanoTime() - start) / 1e9, "", 0, null, data.kernelsUsed())), outcome);
        }
    }

    private FitListener listener() {
        return listener == null ? FitListener.NONE : listener;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return withClusteringOutputs(schema, getWeightCol(), getSiteCol());
    }

    @Override
    public FederatedGaussianMixture copy(ParamMap extra) {
        FederatedGaussianMixture copy = (FederatedGaussianMixture) defaultCopy(extra);
        copy.initialModel = initialModel;
        copy.listener = listener;
        return copy;
    }

    public static MLReader<FederatedGaussianMixture> read() {
        return new DefaultParamsReader<>();
    }

    public static FederatedGaussianMixture load(String path) {
        return read().load(path);
    }
}
