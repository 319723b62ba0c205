package io.mixspark.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.io.ModelJson;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelWatcherTest {

    private static String model(String feature, double mean) {
        return "{\"formatVersion\": 1, \"k\": 1, \"d\": 1, \"covarianceType\": \"full\", \"features\": [\"" + feature
                + "\"], \"weights\": [1.0], \"means\": [[" + mean + "]], \"covariances\": [[[1.0]]]}";
    }

    private static ModelWatcher watching(Path file, String text) throws Exception {
        Files.writeString(file, text);
        return new ModelWatcher(file.toString(), new Configuration(), ModelJson.parse(text, file.toString()));
    }

    @Test
    void aChangedFileIsReadAgainAndAnUnchangedOneIsNot(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.json");
        ModelWatcher w = watching(file, model("x", 0.0));
        ModelJson.Named first = w.current();
        assertSame(first, w.current());
        assertNull(w.notice());
        String before = w.shortDigest();
        // The same length and, within the clock's resolution, the same modification time: only the content differs.
        Files.writeString(file, model("x", 5.0));
        ModelJson.Named second = w.current();
        assertEquals(5.0, second.mixture().mean(0)[0]);
        assertTrue(w.notice().startsWith("reloaded the model from"), w.notice());
        assertNotEquals(before, w.shortDigest());
    }

    @Test
    void aHalfWrittenFileKeepsTheModelInUse(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.json");
        ModelWatcher w = watching(file, model("x", 1.0));
        String full = model("x", 2.0);
        Files.writeString(file, full.substring(0, full.length() / 2));
        assertEquals(1.0, w.current().mixture().mean(0)[0]);
        assertTrue(w.notice().contains("does not parse"), w.notice());
        Files.writeString(file, full);
        assertEquals(2.0, w.current().mixture().mean(0)[0]);
    }

    @Test
    void aModelOfOtherFeaturesIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.json");
        ModelWatcher w = watching(file, model("x", 1.0));
        Files.writeString(file, model("z", 1.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, w::current);
        assertTrue(e.getMessage().contains("now has the features [z], the stream is scored on [x]"), e.getMessage());
    }
}
