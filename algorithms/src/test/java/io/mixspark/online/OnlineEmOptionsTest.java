package io.mixspark.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mixspark.gmm.CovarianceType;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Bad settings are refused with a message naming the value. */
class OnlineEmOptionsTest {

    static Stream<Arguments> bad() {
        return Stream.of(
                Arguments.of((UnaryOperator<OnlineEmOptions.Builder>) b -> b.maxK(2), "maxK must be >= k (3), got 2"),
                Arguments.of((UnaryOperator<OnlineEmOptions.Builder>) b -> b.stepExponent(0.5),
                        "stepExponent must be in (0.5, 1], got 0.5"),
                Arguments.of((UnaryOperator<OnlineEmOptions.Builder>) b -> b.stepExponent(1.2),
                        "stepExponent must be in (0.5, 1], got 1.2"),
                Arguments.of((UnaryOperator<OnlineEmOptions.Builder>) b -> b.stepOffset(-1),
                        "stepOffset must be a finite number >= 0, got -1.0"),
                Arguments.of((UnaryOperator<OnlineEmOptions.Builder>) b -> b.decay(1), "decay must be in (0, 1)"),
                Arguments.of((UnaryOperator<OnlineEmOptions.Builder>) b -> b.regCovar(-1e-6),
                        "regCovar must be a finite number >= 0"),
                Arguments.of((UnaryOperator<OnlineEmOptions.Builder>) b -> b.noveltyThreshold(Double.NEGATIVE_INFINITY),
                        "noveltyThreshold must be a finite log-density"),
                Arguments.of((UnaryOperator<OnlineEmOptions.Builder>) b -> b.minNovelShare(1),
                        "minNovelShare must be in [0, 1), got 1.0"),
                Arguments.of((UnaryOperator<OnlineEmOptions.Builder>) b -> b.weightFloor(-0.1),
                        "weightFloor must be in [0, 1), got -0.1"),
                Arguments.of((UnaryOperator<OnlineEmOptions.Builder>) b -> b.sampleRows(0),
                        "sampleRows must be >= 1, got 0"),
                Arguments.of((UnaryOperator<OnlineEmOptions.Builder>) b -> b.initIterations(0),
                        "initIterations must be >= 1, got 0"));
    }

    @ParameterizedTest
    @MethodSource("bad")
    void badSettingsAreRefused(UnaryOperator<OnlineEmOptions.Builder> change, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> change.apply(OnlineEmOptions.builder(3, CovarianceType.FULL)).build());
        assertEquals(true, e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void theStepDecreasesAsCappeAndMoulinesSetItOrIsConstant() {
        OnlineEmOptions decreasing = OnlineEmOptions.builder(2, CovarianceType.DIAG).stepExponent(0.75).stepOffset(3)
                .build();
        assertEquals(Math.pow(1 + 3, -0.75), decreasing.step(1), 0);
        assertEquals(Math.pow(10 + 3, -0.75), decreasing.step(10), 0);
        OnlineEmOptions constant = decreasing.toBuilder().decay(0.2).build();
        assertEquals(0.2, constant.step(1), 0);
        assertEquals(0.2, constant.step(1000), 0);
        assertEquals(false, constant.growth());
        assertEquals(true, constant.toBuilder().maxK(3).build().growth());
    }
}
