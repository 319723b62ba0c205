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
}
