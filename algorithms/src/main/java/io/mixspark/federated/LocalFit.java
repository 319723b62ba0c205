package io.mixspark.federated;

import io.mixspark.em.EmResult;
import java.io.Serializable;
import java.util.List;

/**
 * One site's local mixture.
 *
 * @param site     the site's name
 * @param result   the chosen EM fit at that site
 * @param rows     rows at the site
 * @param weight   total row weight at the site: the n_m of the pooling weights n_m / N
 * @param failures candidate k that could not be fitted at the site, with the reason
 */
public record LocalFit(String site, EmResult result, long rows, double weight, List<String> failures) implements Serializable {

    public LocalFit {
        if (site == null || result == null) {
            throw new IllegalArgumentException("a local fit needs a site name and a result, got site " + site);
        }
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("site '" + site + "' must have a positive finite row weight, got "
                    + weight);
        }
        failures = List.copyOf(failures);
    }
}
