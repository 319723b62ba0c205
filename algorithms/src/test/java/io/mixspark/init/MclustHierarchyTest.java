package io.mixspark.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.mixspark.mclust.MclustReference;
import io.mixspark.mclust.MclustReference.Hierarchy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hierarchical start against mclust's own hierarchies on the mclust reference datasets
 * (src/test/resources/mclust, made on another branch of this work): on mclust's transformed rows
 * the merges give mclust's partitions at G = 1..9, and on MixSpark's own SVD scaling of the raw
 * rows too.
 */
class MclustHierarchyTest {

    @ParameterizedTest
    @ValueSource(strings = {"iris", "wine", "breast_cancer", "diabetes", "thyroid", "d30"})
    void partitionsAtOneToNineGroupsEqualMclusts(String dataset) {
        Hierarchy mclust = MclustReference.hierarchy(dataset);
        double[][] rows = mclust.transformedData();
        int n = rows.length;
        int p = rows[0].length;
        double[] z = new double[n * p];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows[i], 0, z, i * p, p);
        }
        int[][] onTheirs = ModelBasedHierarchical.merges(z, n, p);
        MclustReference.Data data = MclustReference.data(dataset);
        SvdScaling.Scaled scaled = SvdScaling.transform(data.values(), data.n(), data.d());
        int[][] onOurs = ModelBasedHierarchical.merges(scaled.values(), n, scaled.columns());
        for (int g = 1; g <= 9; g++) {
            assertArrayEquals(mclust.classes(g), ModelBasedHierarchical.partition(onTheirs, n, g),
                    dataset + " on mclust's rows, G = " + g);
            assertArrayEquals(mclust.classes(g), ModelBasedHierarchical.partition(onOurs, n, g),
                    dataset + " on MixSpark's scaling, G = " + g);
        }
    }
}
