package io.mixspark.federated;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.FitListener;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The one-shot table of docs/FEDERATED.md over seeds 1-5 (about 15 s, so it runs only with
 * {@code -Dmixspark.reports=true}); written to target/federated-one-shot.md.
 */
@EnabledIfSystemProperty(named = "mixspark.reports", matches = "true")
class OneShotReportTest {

    @Test
    void oneShotAgainstCentralisedOverSeeds() throws IOException {
        StringBuilder table = new StringBuilder("| seed | split | centralised | one-shot gap | gap from largest site "
                + "(its k) | gap after federated EM from the one-shot (rounds) |\n|---|---|---|---|---|---|\n");
        for (long seed = 1; seed <= 5; seed++) {
            Mixture truth = Scenarios.fiveComponents(seed);
            for (boolean skewed : new boolean[] {false, true}) {
                Scenarios.Scenario sc = skewed ? Scenarios.skewed(truth, 16, 0.3, 1500, 2500, 0.5, seed)
                        : Scenarios.iid(truth, 16, 1500, 2500, 0.5, seed);
                List<LocalFit> fits = LocalFits.fit(sc.data(),
                        LocalFitOptions.byBic(1, 7, CovarianceType.FULL).withKernel("java").withNInit(2),
                        FitListener.NONE);
                Mixture pooled = MixtureReduction.pool(fits);
                Mixture central = EmFitter.fit(sc.pooled(), EmOptions.builder(5, CovarianceType.FULL).kernel("java")
                        .tol(1e-6).initialModel(truth).build(), FitListener.NONE).model();
                double c = Scenarios.heldOutMean(central, sc.heldOut());
                MixtureReduction.Result oneShot = MixtureReduction.reduce(pooled, MixtureReduction.Options.of(5));
                LocalFit largest = fits.stream().max(Comparator.comparingLong(LocalFit::rows)).orElseThrow();
                Mixture fromLargest = MixtureReduction.reduce(pooled, largest.result().model(),
                        MixtureReduction.Options.of(5)).model();
                FederatedEm.Result refined = FederatedEm.run(sc.data(), oneShot.model(),
                        FederatedOptions.defaults().withKernel("java").withMaxRounds(10), FitListener.NONE);
                double gap = c - Scenarios.heldOutMean(oneShot.model(), sc.heldOut());
                double largestGap = c - Scenarios.heldOutMean(fromLargest, sc.heldOut());
                double refinedGap = c - Scenarios.heldOutMean(refined.model(), sc.heldOut());
                table.append(String.format(Locale.ROOT, "| %d | %s | %.4f | %.4f | %.4f (%d) | %.4f (%d) |%n", seed,
                        skewed ? "Dirichlet(0.3)" : "IID", c, gap, largestGap, largest.result().model().k(),
                        refinedGap, refined.rounds().size()));
                assertTrue(Math.abs(gap) <= (skewed ? 0.02 : 0.002), "seed " + seed + ": " + gap);
                assertTrue(!skewed || largestGap > gap + 0.03, "seed " + seed + ": " + largestGap);
                assertTrue(Math.abs(refinedGap) <= 0.002, "seed " + seed + ": " + refinedGap);
            }
        }
        Path out = Path.of("target", "federated-one-shot.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table.toString());
    }
}
