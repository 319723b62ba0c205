package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mixspark.em.EmOptions;
import io.mixspark.federated.FederatedFit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code federated --local-max-iter/--local-n-init}, and the deprecated {@code --max-iter/--n-init}; no Spark. */
class LocalEmOptionsTest {

    private static final String[] BASE = {"federated", "--input", "in.parquet", "--output", "out", "--k", "3",
        "--mode", "one-shot"};

    /** The parsed command's settings, and what parsing printed. */
    private record Parsed(FederatedFit.Settings settings, String printed) {
    }

    private static Parsed parse(String... extra) {
        String[] args = Stream.concat(Stream.of(BASE), Stream.of(extra)).toArray(String[]::new);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            CommandLine.ParseResult parsed = new CommandLine(new MixSparkCli()).parseArgs(args);
            FederatedCommand command = (FederatedCommand) parsed.subcommand().commandSpec().userObject();
            return new Parsed(command.checkedSettings(), captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
        }
    }

    @Test
    void theLocalFitsTakeTheLocalOptions() {
        Parsed p = parse("--local-max-iter", "7", "--local-n-init", "2");
        assertEquals(7, p.settings().maxIter());
        assertEquals(2, p.settings().nInit());
        assertEquals("", p.printed());
    }

    @Test
    void theDefaultsAreThoseOfFitAndWarnNothing() {
        Parsed p = parse();
        assertEquals(EmOptions.DEFAULT_MAX_ITER, p.settings().maxIter());
        assertEquals(1, p.settings().nInit());
        assertEquals("", p.printed());
    }

    @Test
    void theOldSpellingsStillWorkWithAWarning() {
        Parsed p = parse("--max-iter", "7", "--n-init", "2");
        assertEquals(7, p.settings().maxIter());
        assertEquals(2, p.settings().nInit());
        assertEquals("warning: --max-iter is deprecated for federated; use --local-max-iter\n"
                + "warning: --n-init is deprecated for federated; use --local-n-init\n",
                p.printed().replace("\r\n", "\n"));
    }

    @Test
    void mixingTheSpellingsOrGivingZeroIsRefusedByName() {
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> parse("--max-iter", "7", "--local-max-iter", "9"));
        assertEquals("give --local-max-iter or its deprecated spelling --max-iter, not both", both.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> parse("--local-n-init", "0"));
        assertEquals("--local-n-init must be >= 1, got 0", zero.getMessage());
    }
}
