/** Information criteria (BIC, AIC, ICL) and the grid search over k and covariance types. */
package io.mixspark.select;
