package io.mixspark.sdp;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mixspark.gmm.ShapeFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The tables of docs/SDP.md, "Shape families": every {@link ShapeFamily} on seeds
 * {@code -Dmixspark.report.seeds=FIRST-LAST} (default 11-30), written to target/sdp-shape-families.md.
 * Opt-in ({@code -Dmixspark.report=true}); {@code -Dmixspark.report.families=id,id} picks families.
 */
@EnabledIf("requested")
class ShapeFamiliesReportTest {

    static boolean requested() {
        return Boolean.getBoolean("mixspark.report") || Boolean.getBoolean("mixspark.reports");
    }

    /**
     * {@link IlaSdpOptions#DEFAULTS}, or other values from {@code -Dmixspark.report.admm} (ADMM
     * iterations per round), {@code .rounds}, {@code .random} (random starts), {@code .em} (EM restarts
     * of the EM starts), {@code .roundStarts} (starts that run the SDP rounds) and
     * {@code .shrinkage}, to compare settings on seeds 1-10.
     */
    static IlaSdpOptions options() {
        IlaSdpOptions d = IlaSdpOptions.DEFAULTS;
        return d.withSolver(d.solver().withMaxIterations(Integer.getInteger("mixspark.report.admm",
                        d.solver().maxIterations())))
                .withMaxRounds(Integer.getInteger("mixspark.report.rounds", d.maxRounds()))
                .withRandomStarts(Integer.getInteger("mixspark.report.random", d.randomStarts()))
                .withEmRestarts(Integer.getInteger("mixspark.report.em", d.emRestarts()))
                .withRoundStarts(Integer.getInteger("mixspark.report.roundStarts", d.roundStarts()))
                .withShrinkage(ShrinkageRule.parse(System.getProperty("mixspark.report.shrinkage",
                        d.shrinkage().id())));
    }

    @Test
    void tables() throws IOException {
        String[] seeds = System.getProperty("mixspark.report.seeds", "11-30").split("-");
        String families = System.getProperty("mixspark.report.families", "");
        StringBuilder report = new StringBuilder();
        for (ShapeFamily family : ShapeFamily.values()) {
            if (!families.isEmpty() && !List.of(families.split(",")).contains(family.id())) {
                continue;
            }
            List<ShapeFamilyExperiment.Outcome> outcomes = ShapeFamilyExperiment.run(family,
                    Long.parseLong(seeds[0]), Long.parseLong(seeds[1]), options(),
                    !"false".equals(System.getProperty("mixspark.report.kmeansSdp")));
            String table = ShapeFamilyExperiment.table(family, outcomes);
            System.out.println(table);
            report.append(table).append('\n');
        }
        assertFalse(report.isEmpty(), "no family matched " + families);
        Path out = Path.of("target", "sdp-shape-families.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
    }
}
