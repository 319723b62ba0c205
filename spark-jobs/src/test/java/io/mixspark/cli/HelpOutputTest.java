package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The {@code --help} text of {@code mixspark} and of every command, against the committed files
 * in {@code src/test/resources/help/} ({@code mixspark.txt} for the root, {@code <command>.txt}
 * otherwise), so that an option added, removed or reworded shows up in review.
 *
 * <p>After a deliberate change, rewrite the files and commit them with it:
 * {@code mvn -B -o -pl spark-jobs -am -Dtest=HelpOutputTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dmixspark.help.update=true verify -DskipITs}, then read {@code git diff}.
 */
class HelpOutputTest {

    /** Surefire runs in the module's directory, so this is the source tree, not target/. */
    private static final Path GOLDEN = Path.of("src/test/resources/help");
    private static final boolean UPDATE = Boolean.getBoolean("mixspark.help.update");

    /** "" for the root, then every registered command but help. */
    static Stream<String> commands() {
        List<String> names = new CommandLine(new MixSparkCli()).getSubcommands().values().stream()
                .filter(c -> !c.getCommandSpec().helpCommand())
                .map(CommandLine::getCommandName)
                .toList();
        return Stream.concat(Stream.of(""), names.stream());
    }

    @ParameterizedTest(name = "mixspark {0} --help")
    @MethodSource("commands")
    void helpMatchesTheCommittedText(String command) throws IOException {
        String help = help(command);
        Path file = GOLDEN.resolve((command.isEmpty() ? "mixspark" : command) + ".txt");
        if (UPDATE) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, help);
            return;
        }
        assertTrue(Files.exists(file), file + " is missing; write it with -Dmixspark.help.update=true");
        assertEquals(Files.readString(file).replace("\r\n", "\n"), help,
                "mixspark " + command + " --help changed; if on purpose, rewrite " + file
                        + " with -Dmixspark.help.update=true (see HelpOutputTest)");
    }

    @Test
    void theRootHelpListsEveryCommand() {
        String help = help("");
        commands().filter(c -> !c.isEmpty())
                .forEach(c -> assertTrue(help.contains("\n  " + c + " "), c + " is missing from:\n" + help));
    }

    @Test
    void withoutACommandTheErrorNamesEveryCommand() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        int code;
        try (PrintStream err = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setErr(err);
            code = MixSparkCli.run(new String[0]);
        } finally {
            System.setErr(stderr);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCodes.USAGE, code, text);
        assertTrue(text.contains("name a command: fit, predict, select, generate, bench, federated, sdp, stream or"
                + " report\n"), text);
    }

    /** What {@code mixspark <command> --help} prints, without colours. */
    private static String help(String command) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new MixSparkCli());
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cli.setOut(new PrintWriter(out, true));
        String[] args = command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};
        assertEquals(ExitCodes.OK, cli.execute(args));
        return out.toString().replace("\r\n", "\n");
    }
}
