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
    /** Ends a pass name whose kernel computes in float arithmetic ({@link Precision#FLOAT}). */
    public static final String FLOAT_SUFFIX = "@float";

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

        /** Why some of this provider's kernels cannot run in this JVM, or null when nothing is amiss. */
        default String problem() {
            return null;
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
        String wanted = resolved(name);
        List<LikelihoodKernel> available = available();
        LikelihoodKernel found = find(wanted, available);
        if (found != null) {
            return found;
        }
        List<String> names = new ArrayList<>();
        available.forEach(k -> names.add(k.name()));
        throw new IllegalArgumentException("kernel '" + name + "' is not available on this machine; available: "
                + AUTO + ", " + String.join(", ", names));
    }

    /**
     * The name to give passes that run on executors: {@code auto} when the request is {@code auto}
     * (each JVM then takes its fastest kernel), else the requested kernel's full name, which every
     * JVM must be able to run ({@link #namedOrFail}). An override by {@value #OVERRIDE_PROPERTY}
     * counts as a request by name.
     *
     * @throws IllegalArgumentException when this JVM cannot run the requested kernel
     */
    public static String passName(String requested) {
        String name = named(requested).name();
        boolean auto = requested == null || normalised(requested).equals(AUTO);
        String override = System.getProperty(OVERRIDE_PROPERTY);
        return auto && (override == null || override.isBlank()) ? AUTO : name;
    }

    /**
     * As {@link #passName(String)}, for a kernel computing in the given precision: float pass names
     * end in {@value #FLOAT_SUFFIX}, which {@link #namedOrFail} reads.
     */
    public static String passName(String requested, Precision precision) {
        String name = passName(requested);
        return precision == Precision.FLOAT ? name + FLOAT_SUFFIX : name;
    }

    /** The precision a pass name asks for. */
    public static Precision precisionOf(String passName) {
        return passName != null && passName.endsWith(FLOAT_SUFFIX) ? Precision.FLOAT : Precision.DOUBLE;
    }

    /** The name to report for a pass name: this JVM's choice for {@code auto}, else the name itself. */
    public static String reportedName(String passName) {
        String name = withoutPrecision(passName);
        return AUTO.equals(name) ? named(AUTO).name() : name;
    }

    private static String withoutPrecision(String passName) {
        return precisionOf(passName) == Precision.FLOAT
                ? passName.substring(0, passName.length() - FLOAT_SUFFIX.length()) : passName;
    }

    /**
     * The kernel a pass runs with in this JVM, driver or executor: the fastest for {@code auto}
     * (or the one {@value #OVERRIDE_PROPERTY} names in this JVM), else the named one, in the
     * precision the pass name asks for ({@link #passName(String, Precision)}). Never another:
     * a kernel asked for by name that this JVM cannot run (an executor that could not load the
     * native library, or lacks the instruction set) fails the task rather than quietly running
     * something else.
     *
     * @throws KernelUnavailableException naming the kernel, this JVM's kernels and why the others
     *                                    are missing
     */
    public static LikelihoodKernel namedOrFail(String passName) {
        String name = withoutPrecision(passName);
        String wanted = resolved(name);
        List<LikelihoodKernel> available = available();
        LikelihoodKernel found = find(wanted, available);
        if (found != null) {
            return found.withPrecision(precisionOf(passName));
        }
        List<String> names = new ArrayList<>();
        available.forEach(k -> names.add(k.name()));
        List<String> problems = new ArrayList<>();
        for (KernelProvider provider : providers()) {
            String problem = provider.problem();
            if (problem != null) {
                problems.add(problem);
            }
        }
        boolean overridden = name == null || normalised(name).equals(AUTO);
        String asked = overridden ? "-D" + OVERRIDE_PROPERTY + "=" + wanted : "--kernel " + name;
        throw new KernelUnavailableException(asked + " cannot run on " + jvmName() + " (it has "
                + String.join(", ", names) + (problems.isEmpty() ? "" : "; " + String.join("; ", problems))
                + "); " + (overridden ? "without -D" + OVERRIDE_PROPERTY + ", --kernel auto lets"
                : "use --kernel auto to let") + " each JVM take its fastest kernel");
    }

    /** The kernel a resolved name picks among those available, or null when none matches. */
    private static LikelihoodKernel find(String wanted, List<LikelihoodKernel> available) {
        if (wanted.equals(AUTO)) {
            return available.get(0);
        }
        for (LikelihoodKernel kernel : available) {
            if (matches(kernel.name(), wanted)) {
                return kernel;
            }
        }
        return null;
    }

    /** The wanted name: {@code auto} becomes the kernel {@value #OVERRIDE_PROPERTY} names, if set. */
    private static String resolved(String name) {
        String wanted = name == null ? AUTO : normalised(name);
        String override = System.getProperty(OVERRIDE_PROPERTY);
        if (wanted.equals(AUTO) && override != null && !override.isBlank()) {
            return normalised(override);
        }
        return wanted;
    }

    private static String jvmName() {
        String host = System.getenv("HOSTNAME");
        return "JVM " + ProcessHandle.current().pid() + (host == null ? "" : " on " + host);
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
