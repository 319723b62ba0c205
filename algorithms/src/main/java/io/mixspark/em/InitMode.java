package io.mixspark.em;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How EM finds its starting mixture. */
public enum InitMode {
    /** k-means++ on a sample when the data fits the sample size, k-means|| otherwise. */
    AUTO("auto"),
    /** k-means++ seeding and Lloyd on a uniform sample, then Lloyd passes over all rows. */
    KMEANS_PLUS_PLUS("kmeans++"),
    /** k-means|| candidates, then Lloyd passes over all rows. */
    KMEANS_PARALLEL("kmeans||"),
    /** k distinct random rows as centres; the hard assignment to them gives the mixture. */
    RANDOM("random"),
    /**
     * Sketch-and-lift k-means SDP: the Burer-Monteiro solver on a sample of at most 2000 rows (row
     * weights ignored), then the mixture of the hard assignment to its clusters' means.
     */
    SDP("sdp"),
    /**
     * mclust's model-based agglomerative hierarchical clustering (VVV, on mclust's SVD scaling)
     * of a uniform sample of at most {@code hcSample} rows, cut at k groups; the start is the
     * M-step of that partition of the sample (row weights ignored by the merging).
     */
    HC("hc"),
    /**
     * Small EM (Biernacki, Celeux and Govaert 2003): 20 EM runs of 5 iterations on a sample of at
     * most 10,000 rows, each from k random rows, with the fit's own model; the best run starts the
     * long one. Each restart draws its own short runs.
     */
    SMALL_EM("small-em"),
    /** A mixture given by the caller. */
    MODEL("model");

    private final String id;

    InitMode(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Parses an id; {@code kmeans-parallel} is accepted for {@code kmeans||}. */
    public static InitMode parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("kmeans-parallel")) {
            return KMEANS_PARALLEL;
        }
        for (InitMode mode : values()) {
            if (mode.id.equals(t)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("init mode must be one of "
                + Arrays.stream(values()).map(InitMode::id).collect(Collectors.joining(", "))
                + " (or kmeans-parallel), got '" + text + "'");
    }
}
