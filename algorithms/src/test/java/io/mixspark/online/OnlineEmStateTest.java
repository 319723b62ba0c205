package io.mixspark.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mixspark.data.DataBlock;
import io.mixspark.gmm.CovarianceType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Online EM is deterministic, and its state survives JSON exactly. */
class OnlineEmStateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static OnlineEmOptions options(CovarianceType type) {
        return OnlineEmOptions.builder(2, type).maxK(5).kernel("java").seed(3).build();
    }

    private static OnlineEmState throughJson(OnlineEmState state) throws Exception {
        String text = JSON.writeValueAsString(state.toMap());
        return OnlineEmState.fromMap(JSON.readValue(text, new TypeReference<Map<String, Object>>() { }));
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void theSameBatchesGiveABitIdenticalState(CovarianceType type) {
        List<DataBlock> stream = Scenarios.growing(21).subList(15, 30);
        OnlineEmState first = Streams.run(stream, options(type));
        OnlineEmState second = Streams.run(stream, options(type));
        assertEquals(first, second);
        assertTrue(first.k() > 2, "the stream grows the model, so growth is covered: " + first);
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"E", "V"}, mode = EnumSource.Mode.EXCLUDE)
    void aStateReadBackFromJsonIsEqualAndContinuesBitForBit(CovarianceType type) throws Exception {
        List<DataBlock> stream = Scenarios.growing(22).subList(15, 30);
        OnlineEmState middle = Streams.run(stream.subList(0, 8), options(type));
        OnlineEmState restored = throughJson(middle);
        assertEquals(middle, restored);
        assertArrayEquals(middle.scatters(), restored.scatters());
        OnlineEmState straight = Streams.run(middle, stream.subList(8, 15), options(type), s -> { });
        OnlineEmState resumed = Streams.run(restored, stream.subList(8, 15), options(type), s -> { });
        assertEquals(straight, resumed);
    }

    @Test
    void statesWithoutAModelOrWithoutStatisticsRoundTrip() throws Exception {
        OnlineEmState empty = OnlineEmState.empty();
        assertEquals(empty, throughJson(empty));
        OnlineEmState started = OnlineEmState.startingFrom(Streams.run(Scenarios.stationary(23).subList(0, 2),
                options(CovarianceType.DIAG)).model());
        assertEquals(started, throughJson(started));
    }

    @Test
    void aBatchIsAppliedOnceOnly() {
        List<DataBlock> stream = Scenarios.stationary(24).subList(0, 3);
        OnlineEmState state = Streams.run(stream, options(CovarianceType.FULL));
        BatchSummary again = OnlineEm.summarise(state, List.of(stream.get(2)), Scenarios.D, options(CovarianceType.FULL));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnlineEm.update(state, again, 2, options(CovarianceType.FULL)));
        assertTrue(e.getMessage().contains("batch 2 was already applied"), e.getMessage());
        assertTrue(state.hasApplied(2));
        assertNotEquals(state, OnlineEm.update(state, again, 3, options(CovarianceType.FULL)));
    }

    @Test
    void anEmptyBatchMovesOnlyTheBatchId() {
        OnlineEmState state = Streams.run(Scenarios.stationary(25).subList(0, 2), options(CovarianceType.FULL));
        BatchSummary none = OnlineEm.summarise(state, List.of(), Scenarios.D, options(CovarianceType.FULL));
        OnlineEmState after = OnlineEm.update(state, none, 7, options(CovarianceType.FULL));
        assertEquals(7, after.lastBatchId());
        assertEquals(state.updates(), after.updates());
        assertEquals(state.model(), after.model());
    }

    @Test
    void aMalformedStateIsRefusedNamingWhatIsWrong() {
        Map<String, Object> map = Streams.run(Scenarios.stationary(26).subList(0, 1), options(CovarianceType.FULL))
                .toMap();
        map.put("means", List.of(1.0, 2.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnlineEmState.fromMap(map));
        assertTrue(e.getMessage().contains("2 mean values"), e.getMessage());
    }
}
