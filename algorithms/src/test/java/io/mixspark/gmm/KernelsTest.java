package io.mixspark.gmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How passes name their kernel: {@code auto} stays free per JVM, a named kernel is binding. */
class KernelsTest {

    @Test
    void autoTravelsAsAutoAndIsReportedAsThisJvmsChoice() {
        assertEquals(Kernels.AUTO, Kernels.passName("auto"));
        assertEquals(Kernels.AUTO, Kernels.passName(null));
        assertEquals(Kernels.available().get(0).name(), Kernels.reportedName(Kernels.AUTO));
        assertSame(Kernels.available().get(0), Kernels.namedOrFail(Kernels.AUTO));
    }

    @Test
    void aNamedKernelTravelsByItsFullNameAndIsReportedAsSuch() {
        assertEquals("java", Kernels.passName(" Java "));
        assertEquals("java", Kernels.reportedName("java"));
        assertSame(JavaLikelihoodKernel.INSTANCE, Kernels.namedOrFail("java"));
    }

    @Test
    void aNamedKernelThisJvmCannotRunFailsInsteadOfFallingBack() {
        // The algorithms module has no native provider: a JVM like an executor without the library.
        KernelUnavailableException e = assertThrows(KernelUnavailableException.class,
                () -> Kernels.namedOrFail("native-avx2"));
        assertTrue(e.getMessage().startsWith("--kernel native-avx2 cannot run on JVM " + ProcessHandle.current().pid()),
                e.getMessage());
        assertTrue(e.getMessage().contains("(it has java"), e.getMessage());
    }

    @Test
    void theOverridePropertyForcesItsKernelWhereAutoIsAsked() {
        String before = System.getProperty(Kernels.OVERRIDE_PROPERTY);
        try {
            System.setProperty(Kernels.OVERRIDE_PROPERTY, "java");
            assertSame(JavaLikelihoodKernel.INSTANCE, Kernels.namedOrFail(Kernels.AUTO));
            // An executor started with -Dmixspark.kernel=native-avx2 that cannot run it fails, as --kernel would.
            System.setProperty(Kernels.OVERRIDE_PROPERTY, "native-avx2");
            KernelUnavailableException e = assertThrows(KernelUnavailableException.class,
                    () -> Kernels.namedOrFail(Kernels.AUTO));
            assertTrue(e.getMessage().startsWith("-Dmixspark.kernel=native-avx2 cannot run on JVM "), e.getMessage());
            assertTrue(e.getMessage().endsWith("without -Dmixspark.kernel, --kernel auto lets each JVM take its fastest"
                    + " kernel"), e.getMessage());
            assertSame(JavaLikelihoodKernel.INSTANCE, Kernels.namedOrFail("java"), "a named kernel is not overridden");
        } finally {
            if (before == null) {
                System.clearProperty(Kernels.OVERRIDE_PROPERTY);
            } else {
                System.setProperty(Kernels.OVERRIDE_PROPERTY, before);
            }
        }
    }
}
