package io.mixspark.gmm;

/** A fit that cannot go on numerically, for example a covariance that stays singular. */
public class NumericalFailureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NumericalFailureException(String message) {
        super(message);
    }

    public NumericalFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
