package io.mixspark.spark.ml.param;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.ml.param.Param;

/**
 * One stage's uid and its Param objects by name, each made the first time it is asked for. Spark
 * compares params by parent uid and name, but a stage must still hand out the same object every
 * time so its validator and doc are the ones it was declared with.
 */
public final class DeclaredParams implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Map<String, Param<?>> byName = new HashMap<>();

    public DeclaredParams(String uid) {
        this.uid = uid;
    }

    /** The owning stage's uid. */
    public String uid() {
        return uid;
    }

    /** The param named {@code name}; {@code make} runs only the first time. */
    @SuppressWarnings("unchecked")
    synchronized <P extends Param<?>> P get(String name, Supplier<P> make) {
        Param<?> known = byName.get(name);
        if (known == null) {
            known = make.get();
            byName.put(name, known);
        }
        return (P) known;
    }
}
