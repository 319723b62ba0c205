package io.mixspark.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Zeppelin note as its {@code .zpln} JSON holds it: a name and paragraphs in order, each with
 * its text ({@code %interpreter} on the first line, then the body), title and config.
 *
 * @param file       where it was read from
 * @param name       the note's name (Zeppelin shows it; the file name is {@code <name>_<id>.zpln})
 * @param id         the note's id
 * @param paragraphs every paragraph, in order
 */
public record ZeppelinNote(Path file, String name, String id, List<Paragraph> paragraphs) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code %name} or {@code %name(key=value, ...)} at the very start of a paragraph's text. */
    private static final Pattern MAGIC = Pattern.compile("\\A%([A-Za-z0-9_.\\-]+)(\\([^)]*\\))?[ \\t]*(\\R|\\z)?");

    public ZeppelinNote {
        paragraphs = List.copyOf(paragraphs);
    }

    /** What runs a paragraph. */
    public enum Kind {
        /** {@code %spark}: Scala. */
        SCALA,
        /** {@code %sql} or {@code %spark.sql}. */
        SQL,
        /** {@code %spark.conf}: interpreter settings, applied before the SparkContext starts. */
        CONF,
        /** {@code %md}: text only. */
        MARKDOWN,
        /** No text: Zeppelin's empty last paragraph. */
        EMPTY,
        /** Any other interpreter (pyspark, sh, ...): the runner refuses it. */
        OTHER
    }

    /**
     * One paragraph.
     *
     * @param index       1-based position in the note
     * @param id          Zeppelin's paragraph id
     * @param title       its title, or "" when it has none
     * @param interpreter the interpreter as written ({@code spark.conf}, {@code sql} ...), or the
     *                    note's default when the text names none
     * @param kind        what runs it
     * @param body        the text after the interpreter line
     * @param enabled     false when the paragraph is disabled (Zeppelin skips it in "run all")
     * @param config      the paragraph's {@code config} object (chart settings live under
     *                    {@code results})
     */
    public record Paragraph(int index, String id, String title, String interpreter, Kind kind, String body,
                            boolean enabled, JsonNode config) {

        /** "3 'Fit with the command line' (%spark)", for messages. */
        public String describe() {
            return index + (title.isEmpty() ? "" : " '" + title + "'") + " (%" + interpreter + ")";
        }
    }

    /** Reads a {@code .zpln} file. */
    public static ZeppelinNote read(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        if (!root.path("paragraphs").isArray()) {
            throw new IOException(file + " has no \"paragraphs\" array: not a Zeppelin note");
        }
        String defaultGroup = root.path("defaultInterpreterGroup").asText("spark");
        List<Paragraph> paragraphs = new ArrayList<>();
        int index = 0;
        for (JsonNode p : root.get("paragraphs")) {
            index++;
            paragraphs.add(paragraph(index, p, defaultGroup));
        }
        return new ZeppelinNote(file, root.path("name").asText(file.getFileName().toString()),
                root.path("id").asText(""), paragraphs);
    }

    private static Paragraph paragraph(int index, JsonNode p, String defaultGroup) {
        String text = p.path("text").asText("");
        JsonNode config = p.path("config");
        boolean enabled = config.path("enabled").asBoolean(true);
        String title = p.path("title").asText("");
        if (text.isBlank()) {
            return new Paragraph(index, p.path("id").asText(""), title, defaultGroup, Kind.EMPTY, "", enabled, config);
        }
        Matcher m = MAGIC.matcher(text);
        String interpreter;
        String body;
        if (m.lookingAt()) {
            interpreter = m.group(1);
            body = text.substring(m.end());
        } else {
            interpreter = defaultGroup;
            body = text;
        }
        return new Paragraph(index, p.path("id").asText(""), title, interpreter, kindOf(interpreter, defaultGroup),
                body, enabled, config);
    }

    /** Zeppelin resolves a bare name within the note's default group: {@code %sql} is {@code %spark.sql}. */
    static Kind kindOf(String interpreter, String defaultGroup) {
        String name = interpreter.toLowerCase(Locale.ROOT);
        if (!name.contains(".") && !name.equals("spark") && !name.equals("md") && !name.equals("markdown")) {
            name = defaultGroup + "." + name;
        }
        return switch (name) {
            case "spark", "spark.spark" -> Kind.SCALA;
            case "spark.sql" -> Kind.SQL;
            case "spark.conf" -> Kind.CONF;
            case "md", "markdown", "md.md" -> Kind.MARKDOWN;
            default -> Kind.OTHER;
        };
    }
}
