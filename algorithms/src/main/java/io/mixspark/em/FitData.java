package io.mixspark.em;

import java.util.ArrayList;
import java.util.List;

/**
 * What a fit ran on, as a checkpoint records it so that only the same fit resumes from it.
 *
 * @param features    the features' names in column order (empty when the caller names none)
 * @param d           number of features
 * @param rows        rows with at least one observed value
 * @param totalWeight their total weight
 * @param digest      the data's order-independent {@link io.mixspark.data.ContentDigest}, in hex
 */
public record FitData(List<String> features, int d, long rows, double totalWeight, String digest) {

    public FitData {
        features = List.copyOf(features);
    }

    /** What differs between this (a checkpoint's data) and {@code now}, one phrase each; empty when nothing does. */
    public List<String> differences(FitData now) {
        List<String> out = new ArrayList<>();
        if (!features.equals(now.features)) {
            out.add("the features differ: the checkpoint's are " + features + ", this fit's " + now.features);
        }
        if (d != now.d) {
            out.add("the number of features differs: " + d + " in the checkpoint, " + now.d + " now");
        }
        if (rows != now.rows) {
            out.add("the number of rows differs: " + rows + " in the checkpoint, " + now.rows + " now");
        }
        if (Double.compare(totalWeight, now.totalWeight) != 0) {
            out.add("the total weight differs: " + totalWeight + " in the checkpoint, " + now.totalWeight + " now");
        }
        if (!digest.equals(now.digest)) {
            out.add("the data's content differs (digest " + digest + " in the checkpoint, " + now.digest + " now)");
        }
        return out;
    }
}
