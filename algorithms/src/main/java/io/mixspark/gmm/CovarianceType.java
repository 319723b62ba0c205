package io.mixspark.gmm;

import java.util.ArrayList;
import java.util.List;

/**
 * The covariance models of R's mclust (Banfield and Raftery 1993; Celeux and Govaert 1995):
 * Sigma_k = lambda_k D_k A_k D_k^T with volume lambda_k, orientation D_k and shape A_k. The three
 * letters say whether volume, shape and orientation are Equal or Variable across components, or
 * the Identity. {@link #E} and {@link #V} are mclust's univariate (d = 1) models.
 *
 * <p>scikit-learn's four names stay as aliases of the same constants: {@link #SPHERICAL} is
 * {@link #VII}, {@link #DIAG} is {@link #VVI}, {@link #TIED} is {@link #EEE} and {@link #FULL} is
 * {@link #VVV}. Each model maps to one {@link CovarianceStorage}, the shape the kernels work with.
 */
public enum CovarianceType {
    EII(CovarianceStorage.SPHERICAL, null),
    VII(CovarianceStorage.SPHERICAL, "spherical"),
    EEI(CovarianceStorage.DIAG, null),
    VEI(CovarianceStorage.DIAG, null),
    EVI(CovarianceStorage.DIAG, null),
    VVI(CovarianceStorage.DIAG, "diag"),
    EEE(CovarianceStorage.TIED, "tied"),
    VEE(CovarianceStorage.FULL, null),
    EVE(CovarianceStorage.FULL, null),
    VVE(CovarianceStorage.FULL, null),
    EEV(CovarianceStorage.FULL, null),
    VEV(CovarianceStorage.FULL, null),
    EVV(CovarianceStorage.FULL, null),
    VVV(CovarianceStorage.FULL, "full"),
    /** Univariate, one variance shared by all components. */
    E(CovarianceStorage.SPHERICAL, null),
    /** Univariate, one variance per component. */
    V(CovarianceStorage.SPHERICAL, null);

    /** scikit-learn's {@code full}: {@link #VVV}. */
    public static final CovarianceType FULL = VVV;
    /** scikit-learn's {@code diag}: {@link #VVI}. */
    public static final CovarianceType DIAG = VVI;
    /** scikit-learn's {@code spherical}: {@link #VII}. */
    public static final CovarianceType SPHERICAL = VII;
    /** scikit-learn's {@code tied}: {@link #EEE}. */
    public static final CovarianceType TIED = EEE;

    private final CovarianceStorage storage;
    private final String alias;

    CovarianceType(CovarianceStorage storage, String alias) {
        this.storage = storage;
        this.alias = alias;
    }

    /** mclust's name ({@code VVV}), written to model files and metrics. */
    public String id() {
        return name();
    }

    /** scikit-learn's name for this model ({@code full}), or null when it has none. */
    public String alias() {
        return alias;
    }

    /** The name for messages: {@code EEE (tied)} for a model with an alias, else {@code EVE}. */
    public String label() {
        return alias == null ? name() : name() + " (" + alias + ")";
    }

    /** The shape this model's covariances are kept in. */
    public CovarianceStorage storage() {
        return storage;
    }

    /** Whether the M-step needs each component's full scatter matrix, not only its diagonal. */
    public boolean needsFullScatter() {
        return storage.fullScatter();
    }

    /** Whether this is one of mclust's univariate models, {@link #E} or {@link #V}. */
    public boolean univariate() {
        return this == E || this == V;
    }

    /** Whether the volume lambda_k is the same for every component (first letter E). */
    public boolean equalVolume() {
        return name().charAt(0) == 'E';
    }

    /**
     * Number of free covariance parameters for k components in d dimensions, as mclust's
     * {@code nVarParams} counts them.
     */
    public long covarianceParameters(int k, int d) {
        long g = k;
        long dd = d;
        long rotation = dd * (dd - 1) / 2;
        return switch (this) {
            case E, EII -> 1;
            case V, VII -> g;
            case EEI -> dd;
            case VEI -> g + (dd - 1);
            case EVI -> 1 + g * (dd - 1);
            case VVI -> g * dd;
            case EEE -> dd * (dd + 1) / 2;
            case EVE -> 1 + g * (dd - 1) + rotation;
            case VEE -> g + (dd - 1) + rotation;
            case VVE -> g + g * (dd - 1) + rotation;
            case EEV -> 1 + (dd - 1) + g * rotation;
            case VEV -> g + (dd - 1) + g * rotation;
            case EVV -> 1 - g + g * dd * (dd + 1) / 2;
            case VVV -> g * dd * (dd + 1) / 2;
        };
    }

    /** The 14 multivariate models in mclust's order (EII ... VVV). */
    public static List<CovarianceType> multivariate() {
        List<CovarianceType> out = new ArrayList<>();
        for (CovarianceType t : values()) {
            if (!t.univariate()) {
                out.add(t);
            }
        }
        return List.copyOf(out);
    }

    /** scikit-learn's four types, in its order: full, diag, spherical, tied. */
    public static List<CovarianceType> scikitLearn() {
        return List.of(FULL, DIAG, SPHERICAL, TIED);
    }

    /** Every accepted spelling: the mclust names, then the scikit-learn aliases. */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (CovarianceType t : values()) {
            out.add(t.id());
        }
        for (CovarianceType t : scikitLearn()) {
            out.add(t.alias);
        }
        return List.copyOf(out);
    }

    /** Parses an mclust name ({@code EEV}) or a scikit-learn alias ({@code full}), ignoring case. */
    public static CovarianceType parse(String text) {
        String t = text == null ? "" : text.trim();
        for (CovarianceType type : values()) {
            if (type.name().equalsIgnoreCase(t) || (type.alias != null && type.alias.equalsIgnoreCase(t))) {
                return type;
            }
        }
        List<String> aliases = scikitLearn().stream().map(CovarianceType::alias).toList();
        throw new IllegalArgumentException("covariance type must be one of "
                + String.join(", ", multivariate().stream().map(CovarianceType::id).toList())
                + " (E and V for one feature) or " + String.join(", ", aliases) + ", got '" + text + "'");
    }
}
