package io.mixspark.gmm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Finds likelihood kernels by name. The Java kernel is always there; other backends (the
 * native module's) register through {@link KernelProvider} with {@link ServiceLoader}, and
 * {@code auto} picks the first one whose provider says it is usable on this machine.
 */
public final class Kernels {

    /** Picks the fastest usable backend. */
    public static final String AUTO = "auto";
    /** System property that replaces {@code auto} with a named kernel, for example {@code java}. */
    public static final String OVERRIDE_PROPERTY = "mixspark.kernel";

    private Kernels() {
    }

    /** A source of backends, registered in {@code META-INF/services}. */
    public interface KernelProvider {
        /** Usable kernels of this provider on this machine, fastest first; empty if none load. */
        List<LikelihoodKernel> kernels();

        /**
         * The names of every kernel this provider can offer on some machine, whether or not this
         * one can run it; providers that load code to list their kernels override this.
         */
        default List<String> names() {
            return kernels().stream().map(LikelihoodKernel::name).toList();
        }
    }

    /**
     * Whether {@code name} names a kernel some machine can run ({@code auto}, {@code java}, or a
     * provider's kernel, with or without its {@code native-} prefix), without checking that this
     * one can: for settings saved on one machine and used on another.
     */
    public static boolean isKnownName(String name) {
        if (name == null) {
            return false;
        }
        String wanted = normalised(name);
        if (wanted.equals(AUTO) || matches(JavaLikelihoodKernel.INSTANCE.name(), wanted)) {
            return true;
        }
        for (KernelProvider provider : providers()) {
            for (String known : provider.names()) {
                if (matches(known, wanted)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The kernel with this name ({@code java}, {@code auto}, or a provider's names such as
     * {@code native-avx2}; a provider's short aliases like {@code avx2} also match).
     *
     * @throws IllegalArgumentException naming the kernels that are available
     */
    public static LikelihoodKernel named(String name) {
        String wanted = name == null ? AUTO : normalised(name);
        String override = System.getProperty(OVERRIDE_PROPERTY);
        if (wanted.equals(AUTO) && override != null && !override.isBlank()) {
            wanted = normalised(override);
        }
        List<LikelihoodKernel> available = available();
        if (wanted.equals(AUTO)) {
            return available.get(0);
        }
        for (LikelihoodKernel kernel : available) {
            if (matches(kernel.name(), wanted)) {
                return kernel;
            }
        }
        List<String> names = new ArrayList<>();
        available.forEach(k -> names.add(k.name()));
        throw new IllegalArgumentException("kernel '" + name + "' is not available on this machine; available: "
                + AUTO + ", " + String.join(", ", names));
    }

    /**
     * The kernel with this name where it can run, else the fastest one that can: for passes on
     * executors, which may lack an instruction set the driver has. The results agree to 1e-12.
     */
    public static LikelihoodKernel namedOrBest(String name) {
        if (name == null || name.equalsIgnoreCase(AUTO)) {
            return named(AUTO);
        }
        for (LikelihoodKernel kernel : available()) {
            if (kernel.name().equals(name)) {
                return kernel;
            }
        }
        LikelihoodKernel best = available().get(0);
        System.getLogger(Kernels.class.getName()).log(System.Logger.Level.WARNING,
                "kernel " + name + " is not available in this JVM; using " + best.name());
        return best;
    }

    private static String normalised(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }

    /** A kernel's name matches a wanted name in full or without its {@code native-} prefix. */
    private static boolean matches(String kernelName, String wanted) {
        return kernelName.equals(wanted) || kernelName.equals("native-" + wanted);
    }

    private static Iterable<KernelProvider> providers() {
        return ServiceLoader.load(KernelProvider.class, Kernels.class.getClassLoader());
    }

    /** Every usable kernel, fastest first; the Java kernel is always last. */
    public static List<LikelihoodKernel> available() {
        return Providers.AVAILABLE;
    }

    /** Providers are asked once per JVM (class loading makes this thread-safe). */
    private static final class Providers {
        private static final List<LikelihoodKernel> AVAILABLE = discover();
    }

    private static List<LikelihoodKernel> discover() {
        List<LikelihoodKernel> out = new ArrayList<>();
        for (KernelProvider provider : providers()) {
            out.addAll(provider.kernels());
        }
        out.add(JavaLikelihoodKernel.INSTANCE);
        return List.copyOf(out);
    }
}
