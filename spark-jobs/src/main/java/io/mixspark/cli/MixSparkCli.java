package io.mixspark.cli;

import java.io.PrintWriter;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mixspark} command line. Runs on embedded local Spark through {@code bin/mixspark},
 * or unchanged under {@code spark-submit --class io.mixspark.cli.MixSparkCli}.
 */
@Command(name = "mixspark", mixinStandardHelpOptions = true, version = "MixSpark 0.1.0",
        description = "Model-based clustering of big tables on Apache Spark.",
        subcommands = {FitCommand.class, PredictCommand.class, SelectCommand.class, GenerateCommand.class, BenchCommand.class,
                FederatedCommand.class, SdpCommand.class, StreamCommand.class,
                ReportCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 success, 1 internal error, 2 usage, 3 input data, 4 numerical failure, 5 I/O, "
                + "6 partial result."})
public final class MixSparkCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = run(args);
        SparkSession.getDefaultSession().foreach(s -> {
            s.stop();
            return null;
        });
        System.exit(code);
    }

    /** Runs a command in this JVM and returns its exit code (it never calls System.exit). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new MixSparkCli());
        cli.setExecutionExceptionHandler(MixSparkCli::handle);
        cli.setParameterExceptionHandler(MixSparkCli::handleUsage);
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: " + commandNames(spec));
    }

    /** The registered commands but help, as "a, b or c": read from the subcommands, so the list cannot go stale. */
    static String commandNames(CommandLine.Model.CommandSpec root) {
        List<String> names = root.subcommands().values().stream()
                .map(CommandLine::getCommandSpec)
                .filter(c -> !c.helpCommand() && !c.usageMessage().hidden())
                .map(CommandLine.Model.CommandSpec::name)
                .distinct()
                .toList();
        if (names.size() < 2) {
            return String.join("", names);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    /** picocli's own usage errors (unknown option, missing or mistyped value): one error line, as ours. */
    private static int handleUsage(CommandLine.ParameterException failure, String[] args) {
        CommandLine command = failure.getCommandLine();
        PrintWriter err = command.getErr();
        // picocli starts some messages (an argument group's) with its own "Error: ".
        err.println("error: " + failure.getMessage().replaceFirst("^Error: ", ""));
        CommandLine.UnmatchedArgumentException.printSuggestions(failure, err);
        err.println(tryHelp(command));
        err.flush();
        return ExitCodes.USAGE;
    }

    private static int handle(Exception failure, CommandLine command, CommandLine.ParseResult parsed) {
        PrintWriter err = command.getErr();
        if (Validation.isUsage(failure)) {
            err.println("error: " + failure.getMessage());
            err.println(tryHelp(command));
            err.flush();
            return ExitCodes.USAGE;
        }
        int code = ExitCodes.of(failure);
        err.println("error: " + ExitCodes.message(failure));
        if (code == ExitCodes.INTERNAL) {
            failure.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    private static String tryHelp(CommandLine command) {
        return "Try '" + command.getCommandSpec().qualifiedName() + " --help'.";
    }
}
