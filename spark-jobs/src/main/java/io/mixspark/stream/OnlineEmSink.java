package io.mixspark.stream;

import io.mixspark.data.DataBlock;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.Mixture;
import io.mixspark.io.InputTable;
import io.mixspark.io.InputValidation;
import io.mixspark.online.BatchSummary;
import io.mixspark.online.OnlineEm;
import io.mixspark.online.OnlineEmOptions;
import io.mixspark.online.OnlineEmState;
import io.mixspark.spark.BlockPacker;
import io.mixspark.spark.SparkBlockData;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The {@code foreachBatch} function of a stream: each micro-batch is one online-EM step. Its rows
 * are checked and assembled as {@code fit} does, packed into blocks per partition and summarised
 * under the current model in one distributed pass; the step runs on the driver.
 *
 * <p>Exactly once: the new state, with the batch's id, is saved atomically in the query's
 * checkpoint directory before the function returns, and only then are model.json and metrics.json
 * written, from the saved state. Structured Streaming replays a batch it did not record as done;
 * one whose id the saved state has already applied is skipped (its outputs are written again from
 * the state, in case the kill came before they were).
 */
public final class OnlineEmSink implements VoidFunction2<Dataset<Row>, Long> {

    private static final long serialVersionUID = 1L;

    /** Points of a batch at which a test's {@link StepHook} can stop the process. */
    enum Step {
        /** The state after the batch is saved; outputs are not written and Spark has not recorded the batch. */
        STATE_SAVED,
        /** model.json and metrics.json are written. */
        OUTPUTS_WRITTEN
    }

    /** Hears each step of each batch. */
    interface StepHook {
        void reached(Step step, long batchId);
    }

    /** Set by tests that kill the driver at a given step; a no-op otherwise. */
    static volatile StepHook hook = (step, batchId) -> { };

    /**
     * What every batch is learnt with.
     *
     * @param features   the feature columns, in the model's order
     * @param weightCol  the row weight column, or null
     * @param blockRows  rows per packed block
     * @param featuresOf checks a batch's rows as {@code fit} does and assembles its features into
     *                   {@code vectorCol}
     * @param invalid    what {@code featuresOf} does with invalid rows ({@code --invalid}): which rows
     *                   the model learns from
     */
    public record Settings(OnlineEmOptions options, List<String> features, String vectorCol, String weightCol,
                           int blockRows, Function<Dataset<Row>, InputTable.Features> featuresOf,
                           InputValidation.InvalidRows invalid) {

        /**
         * The settings the state depends on; a restart with others is refused. The kernel is left out:
         * every kernel computes the same sums, to rounding, so a restart may change it.
         */
        String fingerprint() {
            OnlineEmOptions o = options;
            return String.format(Locale.ROOT, "k=%d maxK=%d covariance=%s regCovar=%s stepExponent=%s stepOffset=%s"
                            + " decay=%s novelty=%s seed=%d weightCol=%s features=%s invalid=%s", o.k(), o.maxK(),
                    o.covarianceType().id(), o.regCovar(), o.stepExponent(), o.stepOffset(), o.decay(),
                    o.noveltyThreshold(), o.seed(), weightCol, features, invalid.name().toLowerCase(Locale.ROOT));
        }

        /**
         * Whether a saved state's fingerprint is these settings'. States saved before the
         * fingerprint named {@code invalid} were learnt with its default, {@code error}.
         */
        boolean matches(String saved) {
            String now = fingerprint();
            return saved.equals(now) || (!saved.contains(" invalid=") && invalid == InputValidation.InvalidRows.ERROR
                    && now.equals(saved + " invalid=error"));
        }
    }

    private final transient Settings settings;
    private final transient StreamStateStore store;
    private final transient StreamOutputs outputs;
    private final transient BatchGate gate = new BatchGate();
    private transient StreamProgress progress;

    private OnlineEmSink(Settings settings, StreamStateStore store, StreamOutputs outputs, StreamProgress progress) {
        this.settings = settings;
        this.store = store;
        this.outputs = outputs;
        this.progress = progress;
    }

    /**
     * The sink of a stream, continuing from the state saved in {@code checkpointDir} when there is
     * one (its outputs are then written again from it), else starting from {@code initial} (null:
     * the first batch fits the first model) in a new output directory, or with {@code overwrite} in
     * place of an existing one, which stays whole until the first model is written over it.
     *
     * @throws IllegalArgumentException when the saved state was learnt with other settings, or writes
     *                                  another output
     * @throws io.mixspark.io.OutputDirectory.OutputExistsException when a new stream's output exists
     *                                                               and {@code overwrite} is false
     */
    public static OnlineEmSink open(Settings settings, String checkpointDir, String outputDir, boolean overwrite,
                                    Mixture initial, Configuration conf) throws IOException {
        StreamStateStore store = new StreamStateStore(checkpointDir, conf);
        StreamProgress saved = savedProgress(store);
        String output = StreamOutputs.qualified(outputDir, conf);
        if (saved != null && saved.output() != null && !saved.output().equals(output)) {
            throw new IllegalArgumentException("the checkpoint " + checkpointDir + " holds the state of a stream"
                    + " that writes the output " + saved.output() + ", not " + output + "; give that --output, or"
                    + " another --checkpoint-dir");
        }
        if (saved != null && !settings.matches(saved.settings())) {
            throw new IllegalArgumentException("the checkpoint " + checkpointDir + " holds the state of a stream with"
                    + " other settings (" + saved.settings() + "; now " + settings.fingerprint() + "); give the"
                    + " options it was started with, or another --checkpoint-dir");
        }
        if (saved == null) {
            StreamOutputs.requireFresh(outputDir, overwrite, conf);
        }
        StreamOutputs outputs = new StreamOutputs(outputDir, conf);
        StreamProgress progress = saved;
        if (saved == null) {
            progress = new StreamProgress(settings.fingerprint(), settings.features(),
                    Kernels.reportedName(Kernels.passName(settings.options().kernel())),
                    initial == null ? OnlineEmState.empty() : OnlineEmState.startingFrom(initial), List.of(),
                    output, false);
        } else {
            // metrics.json names the kernel this run computes with, which a restart may change.
            progress = saved.withKernel(Kernels.reportedName(Kernels.passName(settings.options().kernel())));
            System.out.println("continuing from " + store.location() + ": " + saved.batches().size()
                    + " batch(es) applied, the last batch " + saved.state().lastBatchId());
        }
        OnlineEmSink sink = new OnlineEmSink(settings, store, outputs, progress);
        sink.writeOutputs();
        return sink;
    }

    private static StreamProgress savedProgress(StreamStateStore store) {
        var document = store.load();
        return document == null ? null : StreamProgress.fromJson(document, store.location());
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) throws Exception {
        gate.run(batchId, () -> {
            if (progress.state().hasApplied(batchId)) {
                System.out.println("batch " + batchId + " was applied before a restart; skipped");
                writeOutputs();
            } else {
                apply(batch, batchId);
            }
            return null;
        });
    }

    private void apply(Dataset<Row> batch, long batchId) throws Exception {
        long start = System.nanoTime();
        OnlineEmState before = progress.state();
        OnlineEmOptions options = settings.options();
        BatchSummary summary;
        try {
            if (batch.isEmpty()) {
                return;
            }
            InputTable.Features features = settings.featuresOf().apply(batch);
            JavaRDD<DataBlock> blocks = BlockPacker.pack(features.table(), settings.vectorCol(),
                    settings.weightCol(), features.d(), settings.blockRows());
            summary = SparkBlockData.onePass(blocks, OnlineEm.summaryPass(before, features.d(), options));
        } catch (Exception e) {
            throw badFile(e);
        }
        OnlineEmState after = OnlineEm.update(before, summary, batchId, options, System.out::println);
        double mean = before.hasModel() ? summary.meanLogLikelihood() : Double.NaN;
        double seconds = (System.nanoTime() - start) / 1e9;
        StreamProgress next = progress.next(after, new StreamProgress.BatchRecord(batchId, summary.rows(), mean,
                after.k(), seconds));
        store.save(batchId, next.toJson());
        progress = next;
        hook.reached(Step.STATE_SAVED, batchId);
        writeOutputs();
        hook.reached(Step.OUTPUTS_WRITTEN, batchId);
        System.out.printf(Locale.ROOT, "batch %d: %d rows, mean log-likelihood %s before the update, k = %d (%.2f s)%n",
                batchId, summary.rows(), Double.isNaN(mean) ? "(first model)" : String.format(Locale.ROOT, "%.6f", mean),
                after.k(), seconds);
    }

    /**
     * A task's failure on a bad file (a CSV header naming other columns, a row the packer refuses) as
     * the input error it is, on one line; any other failure unchanged.
     */
    private static Exception badFile(Exception failure) {
        if (!(failure instanceof SparkException)) {
            return failure;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException bad) {
                return new IllegalArgumentException(bad.getMessage().strip().replaceAll("\\.?\\s*\\n\\s*", "; "),
                        failure);
            }
        }
        return failure;
    }

    /**
     * model.json and metrics.json from the saved progress, once there is a model. The first write
     * replaces the output whole and then records that in the saved state; a failure in between
     * repeats it on restart.
     */
    private void writeOutputs() {
        if (!progress.state().hasModel() || progress.batches().isEmpty()) {
            return;
        }
        if (progress.outputClaimed()) {
            outputs.write(progress.modelJson(), progress.metricsJson());
        } else {
            outputs.claim(progress.modelJson(), progress.metricsJson());
            StreamProgress claimed = progress.claimed();
            store.save(claimed.state().lastBatchId(), claimed.toJson());
            progress = claimed;
        }
    }

    /**
     * Waits for the batch in flight to finish and keeps any later batch from starting; the caller
     * then stops the query, which interrupts a batch waiting here (Spark replays it on restart).
     */
    void stopAfterBatchInFlight() {
        gate.stopAfterBatchInFlight();
    }

    /** The batches applied so far. */
    public int batchesApplied() {
        return progress.batches().size();
    }
}
