package io.mixspark.mclust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmOptions;
import io.mixspark.em.FitListener;
import io.mixspark.em.InitMode;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.select.ModelSelection;
import io.mixspark.select.ModelSelection.Candidate;
import io.mixspark.select.ModelSelection.Criterion;
import io.mixspark.select.ModelSelection.Selection;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole grid from MixSpark's own starts against mclust's {@code mclustBIC(G = 1:9)}: with 5
 * restarts, every model and G = 1..9 batched as {@code select --covariance all --k 1..9 --n-init 5}
 * runs it, on iris, wine and breast cancer ({@code mclust/bic/NAME.json}).
 *
 * <p>mclust starts each cell from its hierarchical partition of all rows (VVV, on the SVD-scaled data).
 * MixSpark's starts here are its own hierarchical start ({@code --init hc}, mclust's criterion on
 * its own SVD scaling) with 5 restarts; on these tables (fewer rows than the 2000 sampled) the
 * restarts see every row, in orders that differ by seed. The fits run without a ridge (mclust has
 * none) and to a tolerance far below mclust's default (its table stops at a relative change of
 * 1e-5), so that a fit which has found mclust's optimum is at or above mclust's value: a cell
 * counts as reached when the log-likelihood is at most 1e-6 relative below mclust's
 * ({@link #mclustLogLikelihood}). Models mclust's table leaves out (breast cancer's slow EVE and VVE)
 * are left out of the grid too, so both choose among the same models.
 */
class MclustGridTest {

    /** Share of the cells mclust fits in which the grid must reach its log-likelihood. */
    private static final double REACHED = 0.95;
    private static final double SLACK = 1e-6;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"iris", "wine", "breast_cancer"})
    void theGridReachesMclustsLogLikelihoodAndPicksItsModel(String dataset) {
        MclustReference.BicTable table = MclustReference.bic(dataset, false);
        MclustReference.Data data = MclustReference.data(dataset);
        MclustReference.Table tight = MclustReference.me(dataset);
        List<CovarianceType> models = new ArrayList<>();
        for (String name : MclustReference.MODELS) {
            if (!table.skipped().contains(name)) {
                models.add(CovarianceType.parse(name));
            }
        }
        List<Integer> ks = IntStream.rangeClosed(1, 9).boxed().toList();
        EmOptions base = EmOptions.builder(1, CovarianceType.VVV).initMode(InitMode.HC).nInit(5).seed(0)
                .regCovar(0).tol(1e-6).maxIter(5000).kernel("java").build();

        Selection selection = ModelSelection.select(InMemoryBlockData.of(data.values(), null, data.d(), 256), ks,
                models, base, Criterion.BIC, FitListener.NONE);

        int fitted = 0;
        int reached = 0;
        StringBuilder missed = new StringBuilder();
        for (CovarianceType model : models) {
            for (int g : ks) {
                MclustReference.BicCell cell = table.cell(model.id(), g);
                Candidate ours = selection.candidates().stream().filter(c -> c.k() == g && c.covarianceType() == model)
                        .findFirst().orElse(null);
                if (ours != null) {
                    assertEquals(cell.df(), ours.result().model().parameterCount(), model.id() + " G = " + g + ": df");
                }
                if (cell.failed()) {
                    continue;
                }
                fitted++;
                double mclust = mclustLogLikelihood(table, tight, model.id(), g);
                if (ours != null && ours.result().logLikelihood() >= mclust - SLACK * Math.abs(mclust)) {
                    reached++;
                } else {
                    missed.append(String.format(" %s G=%d: %s vs mclust %.6f;", model.id(), g,
                            ours == null ? "failed" : String.format("%.6f", ours.result().logLikelihood()), mclust));
                }
            }
        }
        assertTrue(reached >= REACHED * fitted, dataset + ": reached mclust's log-likelihood in " + reached + " of "
                + fitted + " cells; missed:" + missed);
        assertEquals(table.chosen().model() + " G = " + table.chosen().g(),
                selection.best().covarianceType().id() + " G = " + selection.best().k(), dataset + ": the choice");
    }

    /**
     * mclust's log-likelihood of a cell: from its BIC table (2 loglik - df log n), or, where the
     * same start's fit to a tolerance of 1e-12 ({@code me/NAME.json.gz}, G = 1..5) ends lower, that
     * converged value. At its default control mclust's EVE and VVE M-steps stop short, and the
     * table can then stand above the optimum EM converges to from its own start (iris VVE, G = 2:
     * -244.9697 in the table, -244.9718 converged); what a converged fit is compared with is the
     * converged value.
     */
    private static double mclustLogLikelihood(MclustReference.BicTable table, MclustReference.Table tight,
                                              String model, int g) {
        MclustReference.BicCell cell = table.cell(model, g);
        double fromTable = (cell.bic() + cell.df() * Math.log(table.n())) / 2;
        boolean converged = g <= 5 && tight.cells().stream().anyMatch(c -> c.model().equals(model) && c.g() == g
                && !c.failed());
        return converged ? Math.min(fromTable, tight.cell(model, g).loglik()) : fromTable;
    }
}
