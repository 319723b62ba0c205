package io.mixspark.nativekernel;

import io.mixspark.data.DataBlock;
import io.mixspark.gmm.CovarianceType;
import io.mixspark.gmm.JavaLikelihoodKernel;
import io.mixspark.gmm.Kernels;
import io.mixspark.gmm.LikelihoodKernel;
import io.mixspark.gmm.Mixture;
import io.mixspark.gmm.RandomMixtures;
import io.mixspark.gmm.SufficientStatistics;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Offers the native kernels this CPU can run, fastest first, each one checked against the Java
 * kernel on a small problem before it is trusted. Registered with {@link java.util.ServiceLoader}.
 */
public final class NativeKernelProvider implements Kernels.KernelProvider {

    private static final System.Logger LOG = System.getLogger(NativeKernelProvider.class.getName());

    /** Loading and self-testing happen once per JVM, on first use (class loading makes it thread-safe). */
    private static final class Discovered {
        private static final List<LikelihoodKernel> KERNELS = discover();
    }

    @Override
    public List<LikelihoodKernel> kernels() {
        return Discovered.KERNELS;
    }

    /** Every backend this provider can offer on some CPU, without loading the library. */
    @Override
    public List<String> names() {
        List<String> out = new ArrayList<>();
        for (Isa isa : Isa.values()) {
            out.add("native-" + isa.id());
        }
        return out;
    }

    /** Why the native library did not load here, or null when it did. */
    @Override
    public String problem() {
        return NativeLibrary.loaded() ? null : "the native library did not load: " + NativeLibrary.failure();
    }

    private static List<LikelihoodKernel> discover() {
        if (!NativeLibrary.loaded()) {
            return List.of();
        }
        int mask = NativeKernels.supportedIsaMask();
        List<LikelihoodKernel> out = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Isa isa : new Isa[] {Isa.AVX512, Isa.AVX2, Isa.SCALAR}) {
            if ((mask & (1 << isa.ordinal())) == 0) {
                continue;
            }
            NativeLikelihoodKernel kernel = new NativeLikelihoodKernel(isa);
            String problem = selfTest(kernel);
            if (problem == null) {
                out.add(kernel);
                names.add(kernel.name());
            } else {
                LOG.log(Level.WARNING, kernel.name() + " failed its self-test and is not used: " + problem);
            }
        }
        LOG.log(Level.INFO, "MixSpark native kernels available: " + names);
        return List.copyOf(out);
    }

    /** Null when the kernel's E-step agrees with the Java kernel on a small mixture, else why not. */
    static String selfTest(LikelihoodKernel kernel) {
        Random random = new Random(20261123);
        Mixture model = RandomMixtures.draw(3, 5, CovarianceType.FULL, 2, random);
        DataBlock block = DataBlock.of(model.sample(37, random, null), 5);
        SufficientStatistics expected = SufficientStatistics.zeroFor(model);
        SufficientStatistics actual = SufficientStatistics.zeroFor(model);
        JavaLikelihoodKernel.INSTANCE.expectation(block, model, expected);
        kernel.expectation(block, model, actual);
        double scale = Math.abs(expected.logLikelihood());
        if (!(Math.abs(expected.logLikelihood() - actual.logLikelihood()) <= 1e-9 * scale)) {
            return "log-likelihood " + actual.logLikelihood() + ", expected " + expected.logLikelihood();
        }
        for (int c = 0; c < model.k(); c++) {
            if (!(Math.abs(expected.count(c) - actual.count(c)) <= 1e-9 * block.rows())) {
                return "count of component " + c + " is " + actual.count(c) + ", expected " + expected.count(c);
            }
        }
        return null;
    }
}
