package io.mixspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mixspark.spark.SharedSpark;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mixspark report} on a select run of iris: four embedded PNG charts, in a real browser too. */
class ReportCommandTest {

    private static final Pattern IMAGE = Pattern.compile("<img alt=\"([^\"]*)\"[^>]* src=\"data:image/png;base64,"
            + "([A-Za-z0-9+/=]+)\">");
    private static final List<String> TITLES = List.of("Log-likelihood per iteration", "BIC against k",
            "2-D projection", "Cluster sizes");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private static String iris;
    private static Path select;

    @BeforeAll
    static void selectOnIris(@TempDir Path dir) {
        SharedSpark.session();
        iris = Paths.get("..", "data", "iris.csv").toAbsolutePath().normalize().toString();
        select = dir.resolve("select");
        assertEquals(0, MixSparkCli.run("select", "--input", iris, "--label-col", "species", "--k", "1..3",
                "--covariance", "full,diag", "--seed", "2", "--output", select.toString()));
    }

    @Test
    void reportOfASelectRunHoldsFourChartsAsDecodablePngs(@TempDir Path dir) throws Exception {
        Path html = dir.resolve("report.html");
        assertEquals(0, MixSparkCli.run("report", "--run", select.toString(), "--input", iris, "--label-col",
                "species", "--output", html.toString()));
        String text = Files.readString(html);
        List<String> alts = new ArrayList<>();
        Matcher m = IMAGE.matcher(text);
        while (m.find()) {
            alts.add(m.group(1));
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(2))));
            assertTrue(image != null, m.group(1) + " is a PNG");
            assertEquals(820, image.getWidth());
            assertEquals(500, image.getHeight());
            assertTrue(distinctColours(image) > 20, m.group(1) + " is drawn, not blank");
        }
        assertEquals(TITLES, alts);
        for (String title : TITLES) {
            assertTrue(text.contains("<h2>" + title + "</h2>"), title);
        }
        assertTrue(text.contains("150 rows of " + iris), "the projection plots the data");
        assertTrue(text.contains("chosen by bic: k = "), "the selection is named");
        assertTrue(!text.contains("src=\"http") && !text.contains("<link"), "self-contained");

        assertEquals(ExitCodes.IO, MixSparkCli.run("report", "--run", select.toString(), "--output",
                html.toString()), "an existing report is kept without --overwrite");
        assertEquals(ExitCodes.IO, MixSparkCli.run("report", "--run", dir.resolve("none").toString(), "--output",
                dir.resolve("other.html").toString()));
        assertEquals(ExitCodes.USAGE, MixSparkCli.run("report", "--run", select.toString(), "--label-col", "species",
                "--output", html.toString()), "--label-col needs --input");
        assertEquals(0, MixSparkCli.run("report", "--run", select.toString(), "--output", html.toString(),
                "--dry-run"));
    }

    @Test
    void withoutSelectionOrDataTheReportSaysWhatIsAbsent(@TempDir Path dir) throws Exception {
        Path fit = dir.resolve("fit");
        copy(select, fit);
        Files.delete(fit.resolve("selection.json"));
        Path html = dir.resolve("fit.html");
        assertEquals(0, MixSparkCli.run("report", "--run", fit.toString(), "--output", html.toString()));
        String text = Files.readString(html);
        assertEquals(3, IMAGE.matcher(text).results().count());
        assertTrue(text.contains("selection.json is absent"));
        assertTrue(text.contains("no --input: principal components of the mixture"));
    }

    @Test
    void aRunItsCommandDidNotMarkCompleteIsRefusedAndOneOfAnEarlierBuildWarnedOf(@TempDir Path dir)
            throws Exception {
        Path unfinished = dir.resolve("unfinished");
        copy(select, unfinished);
        Files.delete(unfinished.resolve("_SUCCESS"));
        Files.createFile(unfinished.resolve("_RUN-0f6c8a4e-1b2c-4d5e-8f90-123456789abc"));
        Path html = dir.resolve("unfinished.html");
        CapturedRun run = CapturedRun.of("report", "--run", unfinished.toString(), "--output", html.toString());
        assertEquals(ExitCodes.IO, run.code(), run.text());
        assertTrue(run.text().contains(unfinished + " is an incomplete output"), run.text());
        assertTrue(!Files.exists(html));

        Path earlier = dir.resolve("earlier");
        copy(select, earlier);
        Files.delete(earlier.resolve("_SUCCESS"));
        run = CapturedRun.of("report", "--run", earlier.toString(), "--output", dir.resolve("earlier.html").toString());
        assertEquals(0, run.code(), run.text());
        assertTrue(run.text().contains("warning: " + earlier + " holds no _SUCCESS marker"), run.text());
    }

    @Test
    void chromiumRendersEveryImage(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + " (.ci/run installs it)");
        Path html = dir.resolve("report.html");
        assertEquals(0, MixSparkCli.run("report", "--run", select.toString(), "--output", html.toString()));
        assertEquals("images=4 rendered=4 sizes=820x500,820x500,820x500,820x500", renderInChromium(html, dir));
    }

    /**
     * Opens a copy of the report in headless Chromium with a script that reports, once the page
     * has loaded, how many images decoded, and returns that line of the dumped DOM.
     */
    private static String renderInChromium(Path html, Path dir) throws Exception {
        String probe = "<script>window.addEventListener('load',()=>{const i=[...document.images];"
                + "const p=document.createElement('pre');p.id='image-check';p.textContent='images='+i.length"
                + "+' rendered='+i.filter(x=>x.complete&&x.naturalWidth>0).length+' sizes='"
                + "+i.map(x=>x.naturalWidth+'x'+x.naturalHeight).join(',');document.body.appendChild(p);});"
                + "</script></body>";
        Path probed = dir.resolve("probed.html");
        Files.writeString(probed, Files.readString(html).replace("</body>", probe));
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        Path dom = dir.resolve("dom.html");
        Process chromium = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=1000,3000",
                "--virtual-time-budget=10000", "--dump-dom", probed.toUri().toString())
                .redirectOutput(dom.toFile()).redirectError(dir.resolve("chromium.log").toFile()).start();
        if (!chromium.waitFor(60, TimeUnit.SECONDS)) {
            chromium.descendants().forEach(ProcessHandle::destroyForcibly);
            chromium.destroyForcibly();
            throw new AssertionError("chromium did not finish in 60 s");
        }
        Matcher m = Pattern.compile("<pre id=\"image-check\">([^<]*)</pre>")
                .matcher(Files.readString(dom, StandardCharsets.UTF_8));
        assertTrue(m.find(), () -> "no image check in chromium's DOM; exit " + chromium.exitValue() + ", log:\n"
                + read(dir.resolve("chromium.log")));
        return m.group(1);
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (Exception e) {
            return "(unreadable: " + e + ")";
        }
    }
}
