package io.mixspark.em;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mixspark.data.InMemoryBlockData;
import io.mixspark.gmm.ConjugatePrior;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.DataMomentsPass;
import io.mixspark.gmm.MStep;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.Prior;
import io.mixspark.gmm.SufficientStatistics;
import io.mixspark.mclust.MclustReference;
import io.mixspark.testing.Fixtures;
import io.mixspark.testing.Fixtures.Dataset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MAP fits with mclust's default prior against mclust's {@code me(..., prior = priorControl())}
 * from the same start, mclust's hierarchical partition at G (reference:
 * src/test/resources/reference/mclust/make_prior_reference.R), for every model whose MAP M-step
 * MixSpark has: VVV, VVI, VII, EEE, EII, and E and V on one column; and, from mclust's prior
 * tables (src/test/resources/mclust/prior, {@code me()} at tolerance 1e-12), EEI, VEI, EVI, EEV and
 * VEV on the five real datasets, G = 1..5. Cells where mclust gives up (a mixing proportion below
 * its threshold) are not compared.
 */
class MclustPriorAgreementTest {

    private static final JsonNode REFERENCE = Fixtures.json("reference/mclust/prior_fits.json");

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : REFERENCE.get("cases")) {
            if (c.get("loglik").isNumber() && c.get("iterations").asInt() > 0) {
                out.add(Arguments.of(c.get("dataset").asText(), c.get("G").asInt(), c.get("model").asText(), c));
            }
        }
        return out;
    }

    @Test
    void theReferenceCoversEveryModelOnEveryDataset() {
        assertTrue(cases().size() >= 55, "compared cells: " + cases().size());
    }

    @ParameterizedTest(name = "{0} G={1} {2}")
    @MethodSource("cases")
    void mapFitMatchesMclust(String dataset, int g, String model, JsonNode c) {
        Dataset data = c.has("column") ? column(Fixtures.dataset(dataset), c.get("column").asInt() - 1)
                : Fixtures.dataset(dataset);
        CovarianceType type = CovarianceType.parse(c.get("covarianceType").asText());
        int[] labels = new int[data.rows()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = c.get("start").get(i).asInt() - 1;
        }
        InMemoryBlockData blocks = InMemoryBlockData.of(data.values(), data.d());
        ConjugatePrior prior = DataMomentsPass.defaultPrior(
                blocks.aggregate(new DataMomentsPass(new double[data.d()])), g);
        Mixture start = MStep.update(hardStatistics(data, labels, g, type), type, 0, prior, w -> { });
        EmOptions options = EmOptions.builder(g, type).maxIter(1_000_000).tol(1e-14).regCovar(0).kernel("java")
                .prior(Prior.DEFAULT).build();

        EmResult fit = EmFitter.run(blocks, start, options, "java", 0, FitListener.NONE);

        double loglik = c.get("loglik").asDouble();
        assertEquals(loglik, fit.meanLogLikelihood() * data.rows(), 1e-6 * Math.abs(loglik), "log-likelihood");
        SklearnAgreementTest.assertClose(mclustMixture(c, type), fit.model(), 1e-6);
    }

    /** The models whose MAP M-step follows mclust's {@code me()} rather than its {@code mstep()}. */
    private static final List<String> ME_MODELS = List.of("EEI", "VEI", "EVI", "EEV", "VEV");

    static List<Arguments> meCells() {
        List<Arguments> out = new ArrayList<>();
        for (String dataset : List.of("iris", "wine", "breast_cancer", "diabetes", "thyroid")) {
            MclustReference.Table table = MclustReference.prior(dataset);
            for (String model : ME_MODELS) {
                for (int g = 1; g <= 5; g++) {
                    MclustReference.Cell cell = table.cell(model, g);
                    if (!cell.failed()) {
                        out.add(Arguments.of(dataset, g, model, cell));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void theTablesCoverTheModelsWhoseMapStepIsMes() {
        assertTrue(meCells().size() >= 100, "compared cells: " + meCells().size());
    }

    @ParameterizedTest(name = "{0} G={1} {2}")
    @MethodSource("meCells")
    void mapFitMatchesMclustsMe(String dataset, int g, String model, MclustReference.Cell cell) {
        MclustReference.Data data = MclustReference.data(dataset);
        CovarianceType type = CovarianceType.parse(model);
        InMemoryBlockData blocks = InMemoryBlockData.of(data.values(), data.d());
        ConjugatePrior prior = DataMomentsPass.defaultPrior(
                blocks.aggregate(new DataMomentsPass(new double[data.d()])), g);
        double[][] mclustScale = cell.prior().scale();
        if (type.needsFullScatter()) {
            for (int a = 0; a < data.d(); a++) {
                for (int b = 0; b < data.d(); b++) {
                    assertEquals(mclustScale[a][b], prior.scale()[a * data.d() + b],
                            1e-10 * Math.sqrt(mclustScale[a][a] * mclustScale[b][b]), "prior scale");
                }
            }
        } else {
            assertEquals(mclustScale[0][0], prior.variance(), 1e-10 * mclustScale[0][0], "prior scale");
        }
        Dataset rows = new Dataset(dataset, data.features(), data.values(), new int[data.n()]);
        int[] labels = MclustReference.starts(dataset).start(g).labels();
        Mixture start = MStep.update(hardStatistics(rows, labels, g, type), type, 0, prior, w -> { });
        // mclust's rule for these tables, |change of log L| <= 1e-12 (1 + |log L|), per row
        double tol = 1e-12 * (1 + Math.abs(cell.loglik())) / data.n();
        EmOptions options = EmOptions.builder(g, type).maxIter(100_000).tol(tol).regCovar(0).kernel("java")
                .prior(Prior.DEFAULT).build();

        EmResult fit = EmFitter.run(blocks, start, options, "java", 0, FitListener.NONE);

        assertEquals(cell.loglik(), fit.meanLogLikelihood() * data.n(), 1e-6 * Math.abs(cell.loglik()),
                "log-likelihood");
        MclustReference.Parameters p = cell.parameters();
        SklearnAgreementTest.assertClose(Mixture.fromFullCovariances(type, p.pro(), p.mean(), p.sigma()), fit.model(),
                1e-6);
    }

    /** One column of a dataset, for the univariate models. */
    private static Dataset column(Dataset data, int a) {
        double[] values = new double[data.rows()];
        for (int i = 0; i < values.length; i++) {
            values[i] = data.values()[i * data.d() + a];
        }
        return new Dataset(data.name(), new String[] {data.features()[a]}, values, data.labels());
    }

    private static SufficientStatistics hardStatistics(Dataset data, int[] labels, int g, CovarianceType type) {
        SufficientStatistics stats = SufficientStatistics.zero(g, data.d(), type.needsFullScatter(),
                new double[g * data.d()]);
        for (int i = 0; i < labels.length; i++) {
            stats.addRowTotals(1, 0, 0);
            stats.addToComponent(labels[i], 1, data.values(), i * data.d());
        }
        return stats;
    }

    private static Mixture mclustMixture(JsonNode c, CovarianceType type) {
        int g = c.get("G").asInt();
        double[][][] covariances = new double[g][][];
        double[][] means = new double[g][];
        for (int k = 0; k < g; k++) {
            JsonNode mean = c.get("means").get(k);
            JsonNode covariance = c.get("covariances").get(k);
            means[k] = mean.isArray() ? Fixtures.doubles(mean) : new double[] {mean.asDouble()};
            covariances[k] = covariance.get(0).isArray() ? Fixtures.matrix(covariance)
                    : new double[][] {{covariance.get(0).asDouble()}};
        }
        return Mixture.fromFullCovariances(type, Fixtures.doubles(c.get("weights")), means, covariances);
    }
}
