package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.spark.SharedSpark;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.Vectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dirty input end to end: malformed lines, wide tables, columns left out, vector and LIBSVM inputs. */
class DirtyInputCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ERRORS = Path.of("src/test/resources/errors").toAbsolutePath();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        SharedSpark.session();
    }

    private String out(String name) {
        return dir.resolve(name).toString();
    }

    private static JsonNode metrics(String out) throws Exception {
        return JSON.readTree(new File(out, "metrics.json"));
    }

    @Test
    void skipLeavesOutMalformedLinesAndCountsThemApart() throws Exception {
        String csv = dir.resolve("dirty.csv").toString();
        // The text column is no feature: the fit's own queries do not read it, yet its lines stay malformed.
        Files.writeString(Path.of(csv), "x,y,name\n1.0,2.0,a\n1.5,2.5,b,9.9\n2.0,NaN,c\n3.0,3.0\n3.5,4.0,e\n4.0,4.5,f\n");
        String out = out("fit");
        CapturedRun run = CapturedRun.of("fit", "--input", csv, "--k", "1", "--invalid", "skip", "--output", out);
        assertEquals(0, run.code(), run.text());
        assertTrue(run.text().contains("warning: 2 malformed line(s) were skipped: line 3 of file"), run.text());
        assertTrue(run.text().contains("line 5 of file"), run.text());
        JsonNode m = metrics(out);
        assertEquals(2, m.get("malformedRows").asLong(), m.toString());
        assertEquals(1, m.get("skippedRows").asLong(), m.toString());
        assertEquals(3, m.get("rows").asLong(), m.toString());
    }

    @Test
    void skipTreatsAMostlyNumericTextColumnAsNumeric() throws Exception {
        String out = out("fit");
        CapturedRun run = CapturedRun.of("fit", "--input", ERRORS.resolve("text.csv").toString(), "--k", "1",
                "--invalid", "skip", "--output", out);
        assertEquals(0, run.code(), run.text());
        assertTrue(run.text().contains("1 malformed line(s) were skipped: line 3 of file"), run.text());
        JsonNode model = JSON.readTree(new File(out, "model.json"));
        assertEquals("[\"x\",\"y\"]", model.get("features").toString());
        assertEquals(1, metrics(out).get("malformedRows").asLong());
    }

    @Test
    void everyCommandThatReadsInputSkipsMalformedLines() throws Exception {
        String csv = ERRORS.resolve("ragged.csv").toString();
        String fit = out("fit");
        assertEquals(0, CapturedRun.of("fit", "--input", csv, "--k", "1", "--invalid", "skip", "--output", fit)
                .code());
        String[][] commands = {
            {"predict", "--model", fit, "--input", csv, "--invalid", "skip", "--output", out("predict")},
            {"select", "--input", csv, "--k", "1..2", "--invalid", "skip", "--output", out("select")},
            {"sdp", "--input", csv, "--k", "1", "--invalid", "skip", "--output", out("sdp")},
            {"federated", "--input", csv, "--k", "1", "--mode", "em", "--invalid", "skip", "--output",
                out("federated")},
            {"report", "--run", fit, "--input", csv, "--invalid", "skip", "--output", out("report.html")},
        };
        for (String[] args : commands) {
            CapturedRun run = CapturedRun.of(args);
            assertEquals(0, run.code(), String.join(" ", args) + "\n" + run.text());
            assertTrue(run.text().contains("1 malformed line(s) were skipped: line 3 of file"), run.text());
            if (!args[0].equals("report")) {
                assertEquals(1, metrics(args[args.length - 1]).get("malformedRows").asLong(), args[0]);
            }
        }
    }

    @Test
    void aTableOfTenThousandColumnsFits() throws Exception {
        int d = 10_000;
        int rows = 30;
        Random random = new Random(7);
        StringBuilder text = new StringBuilder();
        for (int a = 0; a < d; a++) {
            text.append(a == 0 ? "" : ",").append("c").append(a);
        }
        text.append('\n');
        for (int i = 0; i < rows; i++) {
            for (int a = 0; a < d; a++) {
                text.append(a == 0 ? "" : ",").append((float) random.nextGaussian());
            }
            text.append('\n');
        }
        Path csv = dir.resolve("wide.csv");
        Files.writeString(csv, text);
        String out = out("fit");
        CapturedRun run = CapturedRun.of("fit", "--input", csv.toString(), "--k", "1", "--covariance", "diag",
                "--max-iter", "2", "--output", out);
        assertEquals(0, run.code(), run.text().length() > 4000 ? run.text().substring(0, 4000) : run.text());
        assertEquals(d, JSON.readTree(new File(out, "model.json")).get("features").size());
    }

    @Test
    void columnsLeftOutOfTheDefaultFeaturesAreNamedWithTheirReason() throws Exception {
        Path json = dir.resolve("mixed.json");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            text.append("{\"x\": ").append(i % 7).append(".5, \"s\": \"").append(i % 5).append(".25\", \"name\": \"n")
                    .append(i).append("\", \"tags\": [1, 2], \"pos\": {\"a\": 1}}\n");
        }
        Files.writeString(json, text);
        String out = out("fit");
        CapturedRun run = CapturedRun.of("fit", "--input", json.toString(), "--k", "1", "--output", out);
        assertEquals(0, run.code(), run.text());
        assertTrue(run.text().contains("warning: column 's' holds numbers stored as text and is not used as a feature;"
                + " name it in --features to use it"), run.text());
        assertTrue(run.text().contains("warning: column 'tags' holds arrays and is not used as a feature"), run.text());
        assertTrue(run.text().contains("warning: column 'pos' holds structs and is not used as a feature"), run.text());
        JsonNode dropped = metrics(out).get("droppedColumns");
        assertEquals("[{\"name\":\"name\",\"reason\":\"text\"},{\"name\":\"pos\",\"reason\":\"struct\"},"
                + "{\"name\":\"s\",\"reason\":\"numbers stored as text\"},{\"name\":\"tags\",\"reason\":\"array\"}]",
                String.valueOf(dropped));

        String named = out("named");
        run = CapturedRun.of("fit", "--input", json.toString(), "--k", "1", "--features", "x,s", "--output", named);
        assertEquals(0, run.code(), run.text());
        assertEquals("[\"x\",\"s\"]", JSON.readTree(new File(named, "model.json")).get("features").toString());
    }

    @Test
    void aNamedTextFeatureWithAWordInItIsRefusedWithItsLineOrSkipped() throws Exception {
        Path json = dir.resolve("words.json");
        Files.writeString(json, "{\"x\": 1.0, \"s\": \"1.5\"}\n{\"x\": 2.0, \"s\": \"2.5\"}\n"
                + "{\"x\": 3.0, \"s\": \"lots\"}\n{\"x\": 4.0, \"s\": \"3.5\"}\n");
        CapturedRun run = CapturedRun.of("fit", "--input", json.toString(), "--k", "1", "--features", "x,s",
                "--output", out("fit"));
        assertEquals(ExitCodes.INPUT_DATA, run.code(), run.text());
        assertTrue(run.text().contains("column 's' holds 'lots', which is not a number, at line 3 of file"), run.text());
        String skipped = out("skipped");
        run = CapturedRun.of("fit", "--input", json.toString(), "--k", "1", "--features", "x,s", "--invalid", "skip",
                "--output", skipped);
        assertEquals(0, run.code(), run.text());
        assertEquals(1, metrics(skipped).get("malformedRows").asLong());
    }

    private Path libsvm(String name, String badLine) throws Exception {
        StringBuilder text = new StringBuilder();
        Random random = new Random(5);
        for (int i = 0; i < 40; i++) {
            text.append(i == 2 ? badLine : (i % 2) + " 1:" + (i % 2 * 8 + random.nextGaussian()) + " 2:"
                    + random.nextGaussian()).append('\n');
        }
        Path svm = dir.resolve(name);
        Files.writeString(svm, text);
        return svm;
    }

    @Test
    void libsvmValuesAreCheckedWithTheirLineAndSkippable() throws Exception {
        Path svm = libsvm("nan.libsvm", "1 1:NaN 2:0.5");
        CapturedRun run = CapturedRun.of("fit", "--input", svm.toString(), "--k", "2", "--output", out("fit"));
        assertEquals(ExitCodes.INPUT_DATA, run.code(), run.text());
        assertTrue(run.text().contains("feature 1 of the LIBSVM vector is NaN at line 3 of file"), run.text());
        String skipped = out("skipped");
        run = CapturedRun.of("fit", "--input", svm.toString(), "--k", "2", "--invalid", "skip", "--output", skipped);
        assertEquals(0, run.code(), run.text());
        assertEquals(1, metrics(skipped).get("skippedRows").asLong());
        assertEquals(39, metrics(skipped).get("rows").asLong());
    }

    @Test
    void libsvmValuesWhoseSquaresOverflowAreRefused() throws Exception {
        Path svm = libsvm("huge.libsvm", "1 1:3e200 2:0.5");
        CapturedRun run = CapturedRun.of("fit", "--input", svm.toString(), "--k", "2", "--output", out("fit"));
        assertEquals(ExitCodes.INPUT_DATA, run.code(), run.text());
        assertTrue(run.text().contains("feature 1 of the LIBSVM vector has values up to 3.00e+200 in magnitude"),
                run.text());
    }

    @Test
    void predictReadsTheLibsvmFileItsModelWasFittedOn() throws Exception {
        Path svm = libsvm("points.libsvm", "1 1:8.5 2:0.5");
        String fit = out("fit");
        assertEquals(0, CapturedRun.of("fit", "--input", svm.toString(), "--k", "2", "--output", fit).code());
        CapturedRun run = CapturedRun.of("predict", "--model", fit, "--input", svm.toString(), "--output",
                out("predict"));
        assertEquals(0, run.code(), run.text());
        assertEquals(40, SharedSpark.session().read().parquet(out("predict") + "/predictions").count());
    }

    @Test
    void predictAndReportReadALibsvmFileWhoseLargestIndexIsBelowTheModels() throws Exception {
        Path svm = libsvm("points.libsvm", "1 1:8.5 2:0.5");
        String fit = out("fit");
        assertEquals(0, CapturedRun.of("fit", "--input", svm.toString(), "--k", "2", "--output", fit).code());
        Path narrow = dir.resolve("narrow.libsvm");
        Files.writeString(narrow, "0 1:1.0\n1 1:8.0\n0 1:0.5\n");
        CapturedRun run = CapturedRun.of("predict", "--model", fit, "--input", narrow.toString(), "--output",
                out("predict"));
        assertEquals(0, run.code(), run.text());
        assertEquals(3, SharedSpark.session().read().parquet(out("predict") + "/predictions").count());
        run = CapturedRun.of("report", "--run", fit, "--input", narrow.toString(), "--output", out("report.html"));
        assertEquals(0, run.code(), run.text());
    }

    @Test
    void aLibsvmIndexAboveTheModelsDIsRefusedWithItsLine() throws Exception {
        Path svm = libsvm("points.libsvm", "1 1:8.5 2:0.5");
        String fit = out("fit");
        assertEquals(0, CapturedRun.of("fit", "--input", svm.toString(), "--k", "2", "--output", fit).code());
        Path wide = dir.resolve("wide.libsvm");
        Files.writeString(wide, "0 1:1.0 2:1.0\n1 1:8.0 3:1.0\n");
        CapturedRun run = CapturedRun.of("predict", "--model", fit, "--input", wide.toString(), "--output",
                out("predict"));
        assertEquals(ExitCodes.INPUT_DATA, run.code(), run.text());
        assertTrue(run.text().contains("feature index 3 at line 2 of file"), run.text());
        assertTrue(run.text().contains("the model has d = 2 features"), run.text());
        assertEquals(1, run.text().lines().filter(l -> l.startsWith("error:")).count(), run.text());
    }

    @Test
    void aLibsvmDirectoryNamesTheLineOfAnyOfItsFiles() throws Exception {
        Path svm = dir.resolve("svm");
        Files.createDirectories(svm);
        Files.writeString(svm.resolve("a.libsvm"), "0 1:1.0 2:1.0\n1 1:8.0 2:8.0\n");
        Files.writeString(svm.resolve("b.libsvm"), "0 1:1.0 2:1.0\n1 1:8.0 3:8.0\n");
        // Each file re-read alone to find the line gives vectors of the size the whole directory gave.
        CapturedRun run = CapturedRun.of("fit", "--input", svm.toString(), "--format", "libsvm", "--features",
                "f1,f2", "--k", "1", "--output", out("fit"));
        assertEquals(ExitCodes.INPUT_DATA, run.code(), run.text());
        assertTrue(run.text().matches("(?s).*a vector of 3 values at line \\d of file \\S+libsvm, expected 2.*"),
                run.text());
        String model = ERRORS.resolve("libsvm-model.json").toString();
        run = CapturedRun.of("predict", "--model", model, "--input", svm.toString(), "--format", "libsvm",
                "--output", out("predict"));
        assertEquals(ExitCodes.INPUT_DATA, run.code(), run.text());
        assertTrue(run.text().contains("feature index 3 at line 2 of file"), run.text());
        assertTrue(run.text().contains("b.libsvm"), run.text());
    }

    @Test
    void aFileOfAnotherFormatIsNamedWithTheFormatToPass() throws Exception {
        Path svm = libsvm("points.libsvm", "1 1:8.5 2:0.5");
        CapturedRun run = CapturedRun.of("fit", "--input", svm.toString(), "--format", "parquet", "--k", "2",
                "--output", out("parquet"));
        assertEquals(ExitCodes.INPUT_DATA, run.code(), run.text());
        assertTrue(run.text().contains(svm + " is not a Parquet file; pass --format libsvm"), run.text());
        assertEquals(1, run.text().lines().filter(l -> l.startsWith("error:")).count(), run.text());
        assertTrue(!run.text().contains("\tat "), run.text());
        String csv = ERRORS.resolve("nan.csv").toString();
        run = CapturedRun.of("fit", "--input", csv, "--format", "orc", "--k", "2", "--output", out("orc"));
        assertEquals(ExitCodes.INPUT_DATA, run.code(), run.text());
        assertTrue(run.text().contains(csv + " is not an ORC file; pass --format csv"), run.text());
    }

    @Test
    void aVectorColumnIsCheckedUnderItsOwnNameWithItsRow() throws Exception {
        org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
                .add("v", org.apache.spark.ml.linalg.SQLDataTypes.VectorType());
        List<org.apache.spark.sql.Row> rows = List.of(
                org.apache.spark.sql.RowFactory.create(Vectors.dense(1.0, 2.0)),
                org.apache.spark.sql.RowFactory.create(Vectors.dense(1.5, 2.5)),
                org.apache.spark.sql.RowFactory.create(Vectors.dense(2.0, Double.NaN)),
                org.apache.spark.sql.RowFactory.create(Vectors.dense(3.0, 3.5)));
        String parquet = dir.resolve("vectors.parquet").toString();
        SharedSpark.session().createDataFrame(rows, schema).coalesce(1).write().parquet(parquet);
        CapturedRun run = CapturedRun.of("fit", "--input", parquet, "--k", "1", "--output", out("fit"));
        assertEquals(ExitCodes.INPUT_DATA, run.code(), run.text());
        assertTrue(run.text().contains("feature 2 of column 'v' is NaN at row 3 of file"), run.text());
        String skipped = out("skipped");
        run = CapturedRun.of("fit", "--input", parquet, "--k", "1", "--invalid", "skip", "--output", skipped);
        assertEquals(0, run.code(), run.text());
        assertEquals(1, metrics(skipped).get("skippedRows").asLong());
    }

    @Test
    void aJsonLineThatDoesNotParseIsMalformed() throws Exception {
        Path json = dir.resolve("broken.json");
        Files.writeString(json, "{\"x\": 1.0}\n{\"x\": 2.0\n{\"x\": 3.0}\n{\"x\": 4.5}\n");
        CapturedRun run = CapturedRun.of("fit", "--input", json.toString(), "--k", "1", "--output", out("fit"));
        assertEquals(ExitCodes.INPUT_DATA, run.code(), run.text());
        assertTrue(run.text().contains("1 malformed line(s); the first is line 2 of file"), run.text());
        String skipped = out("skipped");
        run = CapturedRun.of("fit", "--input", json.toString(), "--k", "1", "--invalid", "skip", "--output", skipped);
        assertEquals(0, run.code(), run.text());
        assertEquals(1, metrics(skipped).get("malformedRows").asLong());
        assertEquals("[]", metrics(skipped).get("droppedColumns").toString());
    }
}
