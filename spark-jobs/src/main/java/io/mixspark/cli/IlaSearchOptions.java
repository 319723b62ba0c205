package io.mixspark.cli;

import io.mixspark.sdp.IlaSdpOptions;
import io.mixspark.sdp.SdpSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sdp --ila-*}: iLA-SDP's starts and rounds, with {@link IlaSdpOptions#DEFAULTS}'s values. */
final class IlaSearchOptions {

    private static final IlaSdpOptions DEFAULTS = IlaSdpOptions.DEFAULTS;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--ila-round-starts", paramLabel = "N",
            description = "iLA-SDP: how many of the best polished starts run the SDP rounds, >= 1"
                    + " (default: ${DEFAULT-VALUE}).")
    int roundStarts = DEFAULTS.roundStarts();

    @Option(names = "--ila-random-starts", paramLabel = "N",
            description = "iLA-SDP: random partitions among the starts, >= 0 (default: ${DEFAULT-VALUE}).")
    int randomStarts = DEFAULTS.randomStarts();

    @Option(names = "--ila-em-restarts", paramLabel = "N",
            description = "iLA-SDP: restarts of each EM start, >= 0; 0 drops the EM starts"
                    + " (default: ${DEFAULT-VALUE}).")
    int emRestarts = DEFAULTS.emRestarts();

    @Option(names = "--ila-max-rounds", paramLabel = "N",
            description = "iLA-SDP: SDP rounds at most per start that runs them, >= 1 (default: ${DEFAULT-VALUE}).")
    int maxRounds = DEFAULTS.maxRounds();

    /** The search these options give; IllegalArgumentException names a bad option or value. */
    SdpSettings.IlaSearch search(SdpSettings.Method method) {
        if (method != SdpSettings.Method.ILA_SDP) {
            for (String name : new String[] {"--ila-round-starts", "--ila-random-starts", "--ila-em-restarts",
                    "--ila-max-rounds"}) {
                if (command.commandLine().getParseResult().hasMatchedOption(name)) {
                    throw new IllegalArgumentException(name + " applies only with --method ila-sdp; add it, or drop "
                            + name);
                }
            }
        }
        atLeast("--ila-round-starts", roundStarts, 1);
        atLeast("--ila-random-starts", randomStarts, 0);
        atLeast("--ila-em-restarts", emRestarts, 0);
        atLeast("--ila-max-rounds", maxRounds, 1);
        return new SdpSettings.IlaSearch(roundStarts, randomStarts, emRestarts, maxRounds);
    }

    private static void atLeast(String name, int value, int least) {
        if (value < least) {
            throw new IllegalArgumentException(name + " must be >= " + least + ", got " + value);
        }
    }
}
