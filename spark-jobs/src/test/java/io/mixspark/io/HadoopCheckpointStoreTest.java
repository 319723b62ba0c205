package io.mixspark.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.data.InMemoryBlockData;
import io.mixspark.em.EmCheckpoint;
import io.mixspark.em.EmFitter;
import io.mixspark.em.EmOptions;
import io.mixspark.em.EmResult;
import io.mixspark.em.FitListener;
import io.mixspark.em.IterationRecord;
import io.mixspark.gmm.CovarianceShrinkage;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.RandomMixtures;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checkpoints in real files, on the local file system and on HDFS (one in-process
 * {@code MiniDFSCluster} for the class): a fit killed part-way resumes from them to the
 * uninterrupted result, only the newest generation is kept, and a load reads the newest complete
 * one.
 */
class HadoopCheckpointStoreTest {

    private static final InMemoryBlockData DATA = InMemoryBlockData.of(
            RandomMixtures.draw(3, 3, CovarianceType.FULL, 2, new Random(4)).sample(1500, new Random(5), null),
            null, 3, 256);

    @TempDir
    static Path local;
    private static MiniDFSCluster hdfs;
    private static int directories;

    @BeforeAll
    static void start() throws Exception {
        Configuration conf = new Configuration();
        conf.set("dfs.replication", "1");
        hdfs = new MiniDFSCluster.Builder(conf, local.resolve("hdfs").toFile()).numDataNodes(1).build();
        hdfs.waitActive();
    }

    @AfterAll
    static void stop() {
        if (hdfs != null) {
            hdfs.shutdown(true);
        }
    }

    /** A fresh directory URI on each file system. */
    static Stream<Named<String>> fileSystems() {
        directories++;
        return Stream.of(Named.of("local", local.resolve("checkpoints-" + directories).toString()),
                Named.of("hdfs", hdfs.getURI() + "/checkpoints-" + directories));
    }

    private static EmOptions options() {
        return EmOptions.builder(3, CovarianceType.FULL).nInit(2).maxIter(14).tol(0).seed(3).kernel("java").build();
    }

    /** Stands for the process dying. */
    private static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fileSystems")
    void aFitKilledPartWayResumesFromItsFilesToTheUninterruptedResult(String dir) throws Exception {
        EmResult uninterrupted = EmFitter.fit(DATA, options(), FitListener.NONE);
        FitListener killer = new FitListener() {
            @Override
            public void iteration(int restart, IterationRecord record) {
                if (restart == 1 && record.iteration() == 10) {
                    throw new Killed();
                }
            }
        };
        List<String> names = List.of("a", "b", "c");
        assertThrows(Killed.class, () -> EmFitter.fit(DATA, options(), killer,
                new EmCheckpoint.Policy(store(dir), 4, false, names, EmCheckpoint.OnMismatch.FAIL)));
        assertEquals(List.of("checkpoint-0000000006.json"), files(dir),
                "saves after iterations 4, 8 and 12 of restart 0, one after it, and after 4 and 8 of restart 1:"
                        + " the 6th generation alone");

        List<String> resumedFrom = new ArrayList<>();
        EmResult resumed = EmFitter.fit(DATA, options(), new FitListener() {
            @Override
            public void resumed(String source, int restart, int iteration) {
                resumedFrom.add(source + " " + restart + " " + iteration);
            }
        }, new EmCheckpoint.Policy(store(dir), 4, true, names, EmCheckpoint.OnMismatch.FAIL));

        assertEquals(List.of(dir + "/checkpoint-0000000006.json 1 8"), resumedFrom);
        assertEquals(uninterrupted.model(), resumed.model());
        assertEquals(uninterrupted.history().stream().map(IterationRecord::meanLogLikelihood).toList(),
                resumed.history().stream().map(IterationRecord::meanLogLikelihood).toList());
        assertEquals(uninterrupted.bestRestart(), resumed.bestRestart());
        assertArrayEquals(uninterrupted.restartLogLikelihoods(), resumed.restartLogLikelihoods());

        EmCheckpoint last = store(dir).load();
        assertEquals(names, last.data().features());
        assertEquals(2, last.restart(), "the last save follows the last restart");
        assertEquals(uninterrupted.model(), last.best().model());
    }

    @Test
    void theBestRestartKeepsItsShrinkageIntensities() throws Exception {
        String dir = local.resolve("checkpoints-shrunk").toString();
        EmOptions shrunk = options().toBuilder().shrinkage(CovarianceShrinkage.OAS).build();
        EmResult fit = EmFitter.fit(DATA, shrunk, FitListener.NONE, new EmCheckpoint.Policy(store(dir), 4, false));
        assertEquals(3, fit.shrinkageIntensities().length);
        EmCheckpoint last = store(dir).load();
        assertArrayEquals(fit.shrinkageIntensities(), last.best().shrinkageIntensities());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fileSystems")
    void aLoadReadsTheNewestCompleteGeneration(String dir) throws Exception {
        HadoopCheckpointStore store = store(dir);
        store.save(CheckpointWriterMain.checkpoint(1));
        store.save(CheckpointWriterMain.checkpoint(2));
        // What a copying rename on an object store can leave when it is cut short, and a save cut short.
        write(dir + "/checkpoint-0000000003.json", "{\"formatVersion\": 2, \"fingerpr");
        write(dir + "/checkpoint-0000000004.json.writing", "{");

        HadoopCheckpointStore reader = store(dir);
        assertEquals(2, reader.load().iteration());
        String expected = dir + "/checkpoint-0000000002.json (the newer checkpoint-0000000003.json cannot be read: ";
        assertTrue(reader.source().startsWith(expected) && reader.source().endsWith(")")
                && reader.source().length() > expected.length() + 1, reader.source());

        store.save(CheckpointWriterMain.checkpoint(5));
        assertEquals(List.of("checkpoint-0000000004.json"), files(dir), "a save clears what went before");
        assertEquals(CheckpointWriterMain.checkpoint(5).model(), store(dir).load().model());

        write(dir + "/checkpoint-0000000009.json", "{\"formatVersion\": 1}");
        EmCheckpoint.MismatchException e = assertThrows(EmCheckpoint.MismatchException.class, store(dir)::load);
        assertTrue(e.getMessage().contains("has format version 1; this MixSpark reads version 2"), e.getMessage());

        String alone = dir + "-unreadable";
        write(alone + "/checkpoint-0000000001.json", "{\"formatVersion\": 2, \"fingerpr");
        EmCheckpoint.MismatchException none = assertThrows(EmCheckpoint.MismatchException.class, store(alone)::load);
        assertTrue(none.getMessage().startsWith("no checkpoint in " + alone + " can be read ("
                + "checkpoint-0000000001.json cannot be read: "), none.getMessage());
    }

    /**
     * HDFS keeps a killed writer's lease on its open file for a minute: a save right after a fit
     * was killed while writing must not need that file's name.
     */
    @Test
    void aSaveRightAfterAWriterWasKilledMidWriteSucceedsOnHdfs() throws Exception {
        String dir = hdfs.getURI() + "/killed-mid-write";
        Path log = local.resolve("killed-mid-write.log");
        int halted = CheckpointWriterMain.runInChildJvm(log, dir, "2", HadoopCheckpointStore.Step.PARTLY_WRITTEN.name());
        assertEquals(CheckpointWriterMain.HALTED, halted, java.nio.file.Files.readString(log));
        assertEquals(1, files(dir).stream().filter(n -> n.endsWith(".writing")).count(),
                "the killed save's open file: " + files(dir));

        HadoopCheckpointStore store = store(dir);
        assertEquals(1, store.load().iteration());
        store.save(CheckpointWriterMain.checkpoint(2));
        assertEquals(2, store(dir).load().iteration());
        assertEquals(List.of("checkpoint-0000000002.json"), files(dir), "the killed save's file is pruned");
    }

    /** Checkpoints of builds before numbered generations are not read, and a resume says so. */
    @Test
    void aSingleFileCheckpointOfAnEarlierBuildIsNamedInANote() throws Exception {
        String dir = local.resolve("single-file").toString();
        write(dir + "/checkpoint.json", "{\"formatVersion\": 1}");
        HadoopCheckpointStore store = store(dir);
        assertEquals(null, store.load());
        assertEquals(List.of("the checkpoint directory " + dir + " holds only checkpoint.json, written by an"
                + " earlier MixSpark in a format this one does not read; starting afresh (the file is left in place)"), store.notes());

        store.save(CheckpointWriterMain.checkpoint(1));
        HadoopCheckpointStore reader = store(dir);
        assertEquals(1, reader.load().iteration());
        assertEquals(List.of(), reader.notes(), "nothing passed over when a checkpoint is read");
    }

    private static HadoopCheckpointStore store(String dir) throws Exception {
        return new HadoopCheckpointStore(dir, hdfs.getConfiguration(0));
    }

    private static List<String> files(String dir) throws Exception {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(dir);
        FileSystem fs = path.getFileSystem(hdfs.getConfiguration(0));
        List<String> out = new ArrayList<>();
        for (FileStatus s : fs.listStatus(path)) {
            out.add(s.getPath().getName());
        }
        return out;
    }

    private static void write(String file, String text) throws Exception {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file);
        try (OutputStream out = path.getFileSystem(hdfs.getConfiguration(0)).create(path, true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
