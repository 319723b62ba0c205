package io.mixspark.sdp;

/**
 * What {@link SketchAndLift} learns from its sample: the K sample centroids, which label every row
 * of the full data by nearest centre.
 *
 * @param centres    row-major k x d centroids of the sample clusters
 * @param k          number of clusters
 * @param d          number of columns
 * @param sampleSize rows in the sample the SDP was solved on
 * @param sample     the SDP solve on the sample (its labels follow the sample's hash order)
 */
public record SketchAndLiftResult(double[] centres, int k, int d, int sampleSize, SdpResult sample) {

    public SketchAndLiftResult {
        if (k < 1 || d < 1) {
            throw new IllegalArgumentException("k and d must be >= 1, got k=" + k + ", d=" + d);
        }
        if (centres == null || centres.length != (long) k * d) {
            throw new IllegalArgumentException("expected " + k + " x " + d + " centres, got "
                    + (centres == null ? "none" : centres.length + " values"));
        }
        if (sample == null || sample.n() != sampleSize || sample.k() != k) {
            throw new IllegalArgumentException("the sample solve must cover the " + sampleSize + " sampled rows with k = "
                    + k);
        }
        for (double v : centres) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("centres must be finite, got " + v);
            }
        }
    }

    /** Centre c as a new array. */
    public double[] centre(int c) {
        double[] out = new double[d];
        System.arraycopy(centres, c * d, out, 0, d);
        return out;
    }
}
