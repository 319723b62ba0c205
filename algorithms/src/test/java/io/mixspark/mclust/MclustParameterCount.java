package io.mixspark.mclust;

/**
 * mclust's free-parameter count ({@code nMclustParams}, mclust 6.0.0), written out independently of the
 * main code so that the fixtures' df and the implementation can both be checked against it: G - 1 mixing
 * proportions, G d means, and the covariance parameters of the model (volume, shape, orientation, each
 * shared across components (E) or per component (V), identity (I) for shape or orientation).
 */
final class MclustParameterCount {

    private MclustParameterCount() {
    }

    static int df(String model, int d, int g) {
        return (g - 1) + g * d + covariance(model, d, g);
    }

    /** Covariance parameters; an orientation has d(d - 1)/2, a shape d - 1 (its determinant is 1). */
    static int covariance(String model, int d, int g) {
        int orientation = d * (d - 1) / 2;
        return switch (model) {
            case "E", "EII" -> 1;
            case "V", "VII" -> g;
            case "EEI" -> d;
            case "VEI" -> g + (d - 1);
            case "EVI" -> 1 + g * (d - 1);
            case "VVI" -> g * d;
            case "EEE" -> d * (d + 1) / 2;
            case "VEE" -> g + (d - 1) + orientation;
            case "EVE" -> 1 + g * (d - 1) + orientation;
            case "VVE" -> g + g * (d - 1) + orientation;
            case "EEV" -> 1 + (d - 1) + g * orientation;
            case "VEV" -> g + (d - 1) + g * orientation;
            case "EVV" -> 1 + g * (d - 1) + g * orientation;
            case "VVV" -> g * d * (d + 1) / 2;
            default -> throw new IllegalArgumentException("not an mclust model: " + model);
        };
    }
}
